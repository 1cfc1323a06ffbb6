<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ActivityPanel</name>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="39" />
      <source>{name}: {text}</source>
      <translation>{name}：{text}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="40" />
      <source>version {id}</source>
      <translation>版本 {id}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="46" />
      <source>removed from the list</source>
      <translation>已从列表中移除</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="54" />
      <source>{status}: {error}</source>
      <translation>{status}：{error}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="60" />
      <source>Saved on its server</source>
      <translation>已在其服务器上保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="62" />
      <source>Saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="65" />
      <source>Unchanged: already saved as version {v}</source>
      <translation>无变化：已保存为版本 {v}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/activity.py" line="66" />
      <source>Saved as version {v}</source>
      <translation>已保存为版本 {v}</translation>
    </message>
  </context>
  <context>
    <name>AddFolderDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="59" />
      <source>Add drafts folder</source>
      <translation>添加草稿文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="61" />
      <source>…/com.lveditor.draft or any folder of drafts</source>
      <translation>…/com.lveditor.draft 或任何存放草稿的文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="63" />
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="69" />
      <source>A folder whose subfolders are drafts (CapCut, JianYing or capcut-mate's output/draft):</source>
      <translation>一个以子文件夹为草稿的文件夹（CapCut、剪映或 capcut-mate 的 output/draft）：</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="76" />
      <source>Drafts folder</source>
      <translation>草稿文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="83" />
      <source>Choose a folder</source>
      <translation>请选择一个文件夹</translation>
    </message>
  </context>
  <context>
    <name>AddUrlDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="89" />
      <source>Add draft URL</source>
      <translation>添加草稿 URL</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="93" />
      <source>https://your-server/openapi/capcut-mate/v1/get_draft?draft_id=…</source>
      <translation>https://你的服务器/openapi/capcut-mate/v1/get_draft?draft_id=…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/add.py" line="97" />
      <source>The draft_url of a draft on a capcut-mate server. It is saved through that server's save_draft API; its server can be overridden in Settings.</source>
      <translation>capcut-mate 服务器上某个草稿的 draft_url。它通过该服务器的 save_draft 接口保存；服务器可在“设置”中更改。</translation>
    </message>
  </context>
  <context>
    <name>CompareDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="46" />
      <source>the draft as it is now</source>
      <translation>草稿的当前状态</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="47" />
      <source>the version of %1</source>
      <translation>%1 的版本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="48" />
      <source>Compare</source>
      <translation>比较</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="50" />
      <source>The version of %1 compared with %2</source>
      <translation>%1 的版本与%2比较</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="55" />
      <source>Change</source>
      <translation>变化</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="55" />
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="55" />
      <source>Before</source>
      <translation>之前</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="55" />
      <source>After</source>
      <translation>之后</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="70" />
      <source>Files</source>
      <translation>文件</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="71" />
      <source>Texts and captions</source>
      <translation>文本与字幕</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="80" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="96" />
      <source>Added</source>
      <translation>新增</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="96" />
      <source>Removed</source>
      <translation>删除</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="97" />
      <source>Changed</source>
      <translation>修改</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="114" />
      <source>Files: %n changed</source>
      <translation>
        <numerusform>文件：%n 个有变化</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="115" />
      <source>Files: no file changed</source>
      <translation>文件：没有文件变化</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="123" />
      <source>Texts and captions: not compared (the draft's content is not readable, e.g. encrypted)</source>
      <translation>文本与字幕：未比较（草稿内容无法读取，例如已加密）</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="127" />
      <source>Texts and captions: %n changed</source>
      <translation>
        <numerusform>文本与字幕：%n 处有变化</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="128" />
      <source>Texts and captions: none changed</source>
      <translation>文本与字幕：没有变化</translation>
    </message>
  </context>
  <context>
    <name>DraftTable</name>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="63" />
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="64" />
      <source>Draft ID</source>
      <translation>草稿 ID</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="65" />
      <source>Where</source>
      <translation>位置</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="66" />
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="67" />
      <source>Last saved</source>
      <translation>上次保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="68" />
      <source>Versions</source>
      <translation>版本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="69" />
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="70" />
      <source>Duration</source>
      <translation>时长</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="71" />
      <source>Notes</source>
      <translation>备注</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="348" />
      <source>never</source>
      <translation>从未</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/table/model.py" line="351" />
      <source>%n save(s)</source>
      <translation>
        <numerusform>%n 次保存</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="388" />
      <source>Remote draft on {where}</source>
      <translation>{where} 上的远程草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="390" />
      <source>Local draft in {where}</source>
      <translation>{where} 中的本地草稿</translation>
    </message>
  </context>
  <context>
    <name>DraftTableModel</name>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="130" />
      <source>Deleted</source>
      <translation>已删除</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="134" />
      <source>Not in the editor's list</source>
      <translation>不在编辑器列表中</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="135" />
      <source>Encrypted</source>
      <translation>已加密</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="136" />
      <source>Timelines layout</source>
      <translation>多时间线布局</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/table/model.py" line="140" />
      <source>Media offline: %n</source>
      <translation>
        <numerusform>媒体离线：%n</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="305" />
      <source>Checking…</source>
      <translation>正在检查…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="394" />
      <source>Last edited in the editor: %1</source>
      <translation>上次在编辑器中编辑：%1</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/table/model.py" line="398" />
      <source>The editor deleted this draft's folder; its versions are kept. Open History to bring it back.</source>
      <translation>编辑器删除了此草稿的文件夹；它的版本仍然保留。打开“历史”即可找回。</translation>
    </message>
  </context>
  <context>
    <name>DraftsUi</name>
    <message>
      <location filename="app/draftkeeper/ui/window/details.py" line="183" />
      <source>Show deleted drafts</source>
      <translation>显示已删除的草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/details.py" line="186" />
      <source>Drafts whose folder the editor deleted, kept in Draft Keeper's versions</source>
      <translation>编辑器已删除其文件夹、但仍保存在草稿守护版本中的草稿</translation>
    </message>
  </context>
  <context>
    <name>EmptyPage</name>
    <message>
      <location filename="app/draftkeeper/ui/window/notices.py" line="55" />
      <source>No drafts yet</source>
      <translation>还没有草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/notices.py" line="58" />
      <source>Draft Keeper keeps your CapCut and JianYing drafts safe: it saves each draft as a version you can restore, by a click and automatically in the background.
Point it at the folder that holds your drafts, or add a draft that lives on a capcut-mate server, and its save status shows here live.</source>
      <translation>草稿守护保护你的 CapCut 和剪映草稿：一键或在后台自动把每个草稿保存为可恢复的版本。
指定存放草稿的文件夹，或添加 capcut-mate 服务器上的草稿，它们的保存状态会实时显示在这里。</translation>
    </message>
  </context>
  <context>
    <name>HistoryDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="38" />
      <source>History of {name}</source>
      <translation>{name} 的历史</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="45" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="45" />
      <source>Outcome</source>
      <translation>结果</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="45" />
      <source>Message</source>
      <translation>消息</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="46" />
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="46" />
      <source>Files</source>
      <translation>文件数</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="46" />
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="47" />
      <source>Files not kept</source>
      <translation>未保留的文件</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="53" />
      <source>Restore…</source>
      <translation>恢复…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="57" />
      <source>Remote drafts are restored on their server</source>
      <translation>远程草稿在其服务器上恢复</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="59" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="78" />
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="78" />
      <source>saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="80" />
      <source>Saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="88" />
      <source>version {id}</source>
      <translation>版本 {id}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="91" />
      <source>No versions yet.</source>
      <translation>还没有版本。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="92" />
      <source>No saves yet.</source>
      <translation>还没有保存记录。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="94" />
      <source>Saves of this draft on its server, newest first.</source>
      <translation>此草稿在其服务器上的保存记录，最新的在前。</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="96" />
      <source>%n version(s), newest first.</source>
      <translation>
        <numerusform>共 %n 个版本，最新的在前。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="115" />
      <source>Restore the version of {when}?

The draft's current state is saved as a new version first, so this restore can be undone from this list.

Close CapCut / JianYing before restoring: an open editor can overwrite the restored files with what it has in memory.</source>
      <translation>恢复 {when} 的版本吗？

草稿的当前状态会先保存为一个新版本，因此可以从此列表撤销这次恢复。

恢复前请关闭 CapCut / 剪映：打开着的编辑器可能会用内存中的内容覆盖恢复的文件。</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="123" />
      <source>%n media file(s) not kept in this version stay as they are.</source>
      <translation>
        <numerusform>此版本未保留的 %n 个媒体文件保持原样。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="130" />
      <source>Restore version</source>
      <translation>恢复版本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/history.py" line="132" />
      <source>Restore</source>
      <translation>恢复</translation>
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="37" />
      <source>Save</source>
      <translation>保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="40" />
      <source>Save the selected drafts now (Ctrl+S)</source>
      <translation>立即保存所选草稿（Ctrl+S）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="43" />
      <source>Save all</source>
      <translation>全部保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="46" />
      <source>Save every draft with unsaved changes (Ctrl+Shift+S)</source>
      <translation>保存所有有未保存更改的草稿（Ctrl+Shift+S）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="50" />
      <source>Autosave</source>
      <translation>自动保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="54" />
      <source>Save changed drafts automatically</source>
      <translation>自动保存有更改的草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="58" />
      <source>Add drafts folder…</source>
      <translation>添加草稿文件夹…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="61" />
      <source>Add a folder whose subfolders are drafts</source>
      <translation>添加一个以子文件夹为草稿的文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="64" />
      <source>Add draft URL…</source>
      <translation>添加草稿 URL…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="67" />
      <source>Add a draft kept on a capcut-mate server</source>
      <translation>添加保存在 capcut-mate 服务器上的草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="70" />
      <source>Create a sample draft</source>
      <translation>创建示例草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="73" />
      <source>Remove from list</source>
      <translation>从列表中移除</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="76" />
      <source>Stop listing and autosaving the selected drafts (nothing is deleted; Ctrl+Z undoes it)</source>
      <translation>不再列出和自动保存所选草稿（不会删除任何内容；Ctrl+Z 可撤销）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="83" />
      <source>Undo remove</source>
      <translation>撤销移除</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="86" />
      <source>Put the draft just removed back on the list</source>
      <translation>把刚移除的草稿放回列表</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="90" />
      <source>Open folder</source>
      <translation>打开文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="93" />
      <source>Open the draft's folder</source>
      <translation>打开草稿所在的文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="96" />
      <source>History…</source>
      <translation>历史…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="99" />
      <source>Versions of the selected draft, and restore (Enter)</source>
      <translation>所选草稿的版本与恢复（Enter）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="104" />
      <source>Pull into editor…</source>
      <translation>拉取到编辑器…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="107" />
      <source>Write the selected remote draft into the drafts folder, ready to open in the editor (a local draft already there is saved as a version first)</source>
      <translation>把所选远程草稿写入草稿文件夹，可直接在编辑器中打开（已存在的本地草稿会先保存为一个版本）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="114" />
      <source>Settings…</source>
      <translation>设置…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="117" />
      <source>Settings (Ctrl+,)</source>
      <translation>设置（Ctrl+,）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="120" />
      <source>About Draft Keeper</source>
      <translation>关于草稿守护</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="123" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="131" />
      <source>Main toolbar</source>
      <translation>主工具栏</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="141" />
      <source> every </source>
      <translation> 间隔 </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="146" />
      <source>Autosave interval, {limits}</source>
      <translation>自动保存间隔，{limits}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="166" />
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="171" />
      <source>&amp;Draft</source>
      <translation>草稿(&amp;D)</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="182" />
      <source>&amp;Settings</source>
      <translation>设置(&amp;S)</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="185" />
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="189" />
      <source>Filter</source>
      <translation>筛选</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="192" />
      <source>Rescan</source>
      <translation>重新扫描</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/actions.py" line="195" />
      <source>Look for new and changed drafts now (F5)</source>
      <translation>立即查找新的和有更改的草稿（F5）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/autosave.py" line="30" />
      <source>Autosave paused until {time}</source>
      <translation>自动保存已暂停，直到 {time}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/autosave.py" line="42" />
      <source>Autosave resumed</source>
      <translation>自动保存已恢复</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/autosave.py" line="59" />
      <source>must be between {limits}</source>
      <translation>必须在 {limits} 之间</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/autosave.py" line="65" />
      <source>Autosave interval {text!r}: {problem}</source>
      <translation>自动保存间隔 {text!r}：{problem}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/autosave.py" line="84" />
      <source>Autosave on, every {s:g} s</source>
      <translation>自动保存已开启，每 {s:g} 秒</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/autosave.py" line="86" />
      <source>Autosave off</source>
      <translation>自动保存已关闭</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/closing.py" line="245" />
      <source>Quit cancelled; the window stays open</source>
      <translation>已取消退出；窗口保持打开</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="56" />
      <source>Added drafts folder {path}</source>
      <translation>已添加草稿文件夹 {path}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="61" />
      <source>Add folder</source>
      <translation>添加文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="72" />
      <source>Added remote draft {url}</source>
      <translation>已添加远程草稿 {url}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="77" />
      <source>Add draft URL</source>
      <translation>添加草稿 URL</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="83" />
      <source>Created sample draft {id}; saving it</source>
      <translation>已创建示例草稿 {id}；正在保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="91" />
      <source>Create sample draft</source>
      <translation>创建示例草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="113" />
      <source>{n} drafts</source>
      <translation>{n} 个草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="116" />
      <source>Removed {name} from the list: no longer autosaved.</source>
      <translation>已从列表中移除 {name}：不再自动保存。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/commands.py" line="139" />
      <source>Back on the list: {names}</source>
      <translation>已放回列表：{names}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/launchers.py" line="53" />
      <source>Pull</source>
      <translation>拉取</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/launchers.py" line="71" />
      <source>Pulling {name}: {size} received</source>
      <translation>正在拉取 {name}：已接收 {size}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/launchers.py" line="78" />
      <source>Pulling {name}…</source>
      <translation>正在拉取 {name}…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/launchers.py" line="85" />
      <source>{name}: pulled into {folder} (version {version}, {files} files)</source>
      <translation>{name}：已拉取到 {folder}（版本 {version}，{files} 个文件）</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/launchers.py" line="116" />
      <source>{name}: restored version {version} (%n file(s) written)</source>
      <translation>
        <numerusform>{name}：已恢复版本 {version}（写入 %n 个文件）</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/launchers.py" line="122" />
      <source>; %n file(s) moved aside</source>
      <translation>
        <numerusform>；%n 个文件已移到一旁</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/launchers.py" line="129" />
      <source>Restore</source>
      <translation>恢复</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/launchers.py" line="131" />
      <source>History</source>
      <translation>历史</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/launchers.py" line="139" />
      <source>&lt;h3&gt;Draft Keeper {version}&lt;/h3&gt;&lt;p&gt;Keeps CapCut / JianYing drafts safe: live save status, autosave, versions and restore, locally or through a capcut-mate server.&lt;/p&gt;&lt;p&gt;Versions: {store}&lt;br&gt;Settings: {settings}&lt;br&gt;Log file: {log}&lt;/p&gt;</source>
      <translation>&lt;h3&gt;草稿守护 {version}&lt;/h3&gt;&lt;p&gt;保护 CapCut / 剪映草稿：实时保存状态、自动保存、版本与恢复，可在本机或通过 capcut-mate 服务器进行。&lt;/p&gt;&lt;p&gt;版本：{store}&lt;br&gt;设置：{settings}&lt;br&gt;日志文件：{log}&lt;/p&gt;</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="71" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="73" />
      <source>Settings saved</source>
      <translation>设置已保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="102" />
      <source>Start at login: {error}</source>
      <translation>登录时启动：{error}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="122" />
      <source>Version store</source>
      <translation>版本库</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="139" />
      <source>Versions are kept in {path}</source>
      <translation>版本保存在 {path}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="168" />
      <source>Local API: {url}</source>
      <translation>本地接口：{url}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="172" />
      <source>Local API serving save_draft on {url}</source>
      <translation>本地接口在 {url} 提供 save_draft</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/settings_flow.py" line="184" />
      <source>Local API stopped</source>
      <translation>本地接口已停止</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="50" />
      <source>Activity</source>
      <translation>活动</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="88" />
      <source>{name}: {share}</source>
      <translation>{name}：{share}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="107" />
      <source>{name}: {error}</source>
      <translation>{name}：{error}</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/status.py" line="131" />
      <source>%n draft(s)</source>
      <translation>
        <numerusform>%n 个草稿</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="144" />
      <source>{n} {state}</source>
      <translation>{n} 个{state}</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/status.py" line="150" />
      <source>%n not yet on the shared store</source>
      <translation>
        <numerusform>%n 个尚未上传到共享存储</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="155" />
      <source>Nothing is saved: the version store cannot be used</source>
      <translation>没有保存任何内容：版本库无法使用</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="161" />
      <source>autosave every {s} s</source>
      <translation>每 {s} 秒自动保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="165" />
      <source>autosave off</source>
      <translation>自动保存已关闭</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="184" />
      <source>Looking in: {roots}</source>
      <translation>查找位置：{roots}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="187" />
      <source>No drafts yet</source>
      <translation>还没有草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/status.py" line="189" />
      <source>Drafts are listed once the store works</source>
      <translation>版本库可用后将列出草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/tray.py" line="62" />
      <source>Draft Keeper is still saving</source>
      <translation>草稿守护仍在保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/tray.py" line="63" />
      <source>It keeps your drafts safe from the tray. Quit from its menu or with Ctrl+Q.</source>
      <translation>它会在系统托盘中继续保护你的草稿。可从托盘菜单或按 Ctrl+Q 退出。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/window.py" line="98" />
      <source>Draft Keeper</source>
      <translation>草稿守护</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/window.py" line="120" />
      <source>Filter by name, draft id or folder…  (Ctrl+F)</source>
      <translation>按名称、草稿 ID 或文件夹筛选…  (Ctrl+F)</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/window.py" line="197" />
      <source>Local API</source>
      <translation>本地接口</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/window.py" line="257" />
      <source>{doing} failed: {error!r}</source>
      <translation>{doing}失败：{error!r}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/window.py" line="258" />
      <source>Command</source>
      <translation>命令</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/window.py" line="292" />
      <source>No draft matches “{text}”.</source>
      <translation>没有草稿匹配“{text}”。</translation>
    </message>
  </context>
  <context>
    <name>Notifier</name>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/tray/notifier.py" line="82" />
      <source>%n draft(s) on {server} cannot be saved</source>
      <translation>
        <numerusform>{server} 上的 %n 个草稿无法保存</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/tray/notifier.py" line="85" />
      <source>%n draft(s) cannot be saved</source>
      <translation>
        <numerusform>%n 个草稿无法保存</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/notifier.py" line="88" />
      <source>{names}: {why}. Draft Keeper keeps trying.</source>
      <translation>{names}：{why}。草稿守护会继续尝试。</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/tray/notifier.py" line="96" />
      <source>%n draft(s) on {server} saved again</source>
      <translation>
        <numerusform>{server} 上的 %n 个草稿已重新保存</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/tray/notifier.py" line="99" />
      <source>%n draft(s) saved again</source>
      <translation>
        <numerusform>%n 个草稿已重新保存</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>PullDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/pull.py" line="26" />
      <source>Pull {name} into the editor</source>
      <translation>将 {name} 拉取到编辑器</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/pull.py" line="31" />
      <source>Latest (asks the server; else the newest kept here)</source>
      <translation>最新（先询问服务器；否则用这里保存的最新版本）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/pull.py" line="34" />
      <source>Version {time}</source>
      <translation>版本 {time}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/pull.py" line="36" />
      <source>The draft is written into the folder in one step. A draft already there is saved as a version first, never overwritten.</source>
      <translation>草稿一次性写入文件夹。已有的同名草稿会先保存为一个版本，绝不直接覆盖。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/pull.py" line="40" />
      <source>Pull</source>
      <translation>拉取</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/pull.py" line="45" />
      <source>Drafts folder</source>
      <translation>草稿文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/pull.py" line="46" />
      <source>State</source>
      <translation>状态</translation>
    </message>
  </context>
  <context>
    <name>QuitDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/window/closing.py" line="46" />
      <source>Quit Draft Keeper?</source>
      <translation>退出草稿守护？</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/closing.py" line="59" />
      <source>Keep window open</source>
      <translation>保持窗口打开</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/closing.py" line="62" />
      <source>Quit without saving</source>
      <translation>不保存直接退出</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/closing.py" line="92" />
      <source>Saving %n draft(s) before quitting…</source>
      <translation>
        <numerusform>退出前正在保存 %n 个草稿…</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/closing.py" line="96" />
      <source>Giving up in %n second(s). Drafts not saved by then stay open in the window.</source>
      <translation>
        <numerusform>%n 秒后放弃。届时仍未保存的草稿会留在窗口中。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/closing.py" line="101" />
      <source>%n draft(s) not saved. Quit anyway?</source>
      <translation>
        <numerusform>%n 个草稿未保存。仍要退出吗？</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/closing.py" line="104" />
      <source>While the window stays open, Draft Keeper keeps trying to save them.</source>
      <translation>窗口保持打开时，草稿守护会继续尝试保存它们。</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/window/closing.py" line="107" />
      <source>Quitting in %n second(s).</source>
      <translation>
        <numerusform>%n 秒后退出。</numerusform>
      </translation>
    </message>
  </context>
  <context>
    <name>Reason</name>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="41" />
      <source>Save failed</source>
      <translation>保存失败</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="42" />
      <source>Restore failed</source>
      <translation>恢复失败</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="43" />
      <source>Pull failed</source>
      <translation>拉取失败</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="44" />
      <source>Pin failed</source>
      <translation>固定失败</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="47" />
      <source>{action}: {cause}</source>
      <translation>{action}：{cause}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="50" />
      <source>{text} ({path})</source>
      <translation>{text}（{path}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="58" />
      <source>A draft_url is required</source>
      <translation>需要提供 draft_url</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="59" />
      <source>Invalid draft_url: bad percent-encoding</source>
      <translation>无效的 draft_url：百分号编码有误</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="61" />
      <source>Invalid draft_url: it has no draft_id parameter</source>
      <translation>无效的 draft_url：缺少 draft_id 参数</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="63" />
      <source>Invalid draft_url: more than one draft_id parameter</source>
      <translation>无效的 draft_url：有多个 draft_id 参数</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="65" />
      <source>Invalid draft_url: the draft_id is empty</source>
      <translation>无效的 draft_url：draft_id 为空</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="67" />
      <source>Invalid draft_id {draft_id}: it must not contain '/' or '\'</source>
      <translation>无效的 draft_id {draft_id}：不能包含“/”或“\”</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="69" />
      <source>Invalid draft_id {draft_id}: '.' and '..' are not drafts</source>
      <translation>无效的 draft_id {draft_id}：“.”和“..”不是草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="71" />
      <source>Invalid draft_id {draft_id}: it must not start with a dot</source>
      <translation>无效的 draft_id {draft_id}：不能以点开头</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="73" />
      <source>Invalid draft_id: longer than {limit} bytes in UTF-8</source>
      <translation>无效的 draft_id：UTF-8 编码超过 {limit} 字节</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="75" />
      <source>Invalid draft_id {draft_id}: it contains a control character</source>
      <translation>无效的 draft_id {draft_id}：包含控制字符</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="77" />
      <source>Invalid draft_id {draft_id}: it leads outside its drafts folder</source>
      <translation>无效的 draft_id {draft_id}：指向草稿文件夹之外</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="79" />
      <source>Not an http(s) draft_url: {draft_url}</source>
      <translation>不是 http(s) 的 draft_url：{draft_url}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="88" />
      <source>The server refused the save (code {code})</source>
      <translation>服务器拒绝了保存（代码 {code}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="90" />
      <source>The server refused the save (HTTP {http_status})</source>
      <translation>服务器拒绝了保存（HTTP {http_status}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="96" />
      <source>The draft is being written ({path} changed while saving)</source>
      <translation>草稿正在被写入（保存时 {path} 发生了变化）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="98" />
      <source>The draft is being written (files vanished)</source>
      <translation>草稿正在被写入（有文件消失）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="103" />
      <source>a name Windows keeps for devices</source>
      <translation>Windows 保留给设备的名称</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="104" />
      <source>a character Windows does not allow in names</source>
      <translation>Windows 不允许在名称中使用的字符</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="106" />
      <source>a name ending in a dot or a space, which Windows drops</source>
      <translation>以点或空格结尾的名称（Windows 会将其去掉）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="110" />
      <source>Restore refused: version {version} has {path}: {name} is {problem}</source>
      <translation>拒绝恢复：版本 {version} 含有 {path}：{name} 是{problem}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="129" />
      <source>Cannot reach the server: connection refused</source>
      <translation>服务器拒绝连接</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="131" />
      <source>Cannot reach the server: connection reset</source>
      <translation>服务器重置了连接</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="133" />
      <source>Cannot reach the server: host name not found (DNS)</source>
      <translation>找不到服务器的主机名（DNS）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="135" />
      <source>Cannot reach the server: {detail}</source>
      <translation>无法连接服务器：{detail}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="137" />
      <source>The connection to the server was dropped</source>
      <translation>与服务器的连接中断了</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="139" />
      <source>Network error: {detail}</source>
      <translation>网络错误：{detail}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="141" />
      <source>Could not connect to the server within {seconds} s</source>
      <translation>{seconds} 秒内未能连接到服务器</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="143" />
      <source>The server did not answer within {seconds} s</source>
      <translation>服务器在 {seconds} 秒内没有响应</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="145" />
      <source>The server redirected the request (HTTP {http_status}) to {location}: set the remote base to the new address</source>
      <translation>服务器把请求重定向（HTTP {http_status}）到 {location}：请把远程服务器地址改为新地址</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="148" />
      <source>Too many redirects (more than {limit})</source>
      <translation>重定向次数过多（超过 {limit} 次）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="150" />
      <source>The server is not capcut-mate-compatible: its answer is larger than 1 MiB</source>
      <translation>服务器与 capcut-mate 不兼容：响应大于 1 MiB</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="152" />
      <source>The server is not capcut-mate-compatible: its answer is not a JSON object</source>
      <translation>服务器与 capcut-mate 不兼容：响应不是 JSON 对象</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="154" />
      <source>The server is not capcut-mate-compatible: its answer has no draft_url</source>
      <translation>服务器与 capcut-mate 不兼容：响应中没有 draft_url</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="156" />
      <source>The server is not capcut-mate-compatible: get_draft returned no file list</source>
      <translation>服务器与 capcut-mate 不兼容：get_draft 没有返回文件列表</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="158" />
      <source>Not an http(s) URL: {url}</source>
      <translation>不是 http(s) 网址：{url}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="160" />
      <source>{draft_id} is a bare draft_id and needs a server: give the full draft_url, or set a remote base URL in Settings</source>
      <translation>{draft_id} 只是 draft_id，需要指定服务器：请填写完整的 draft_url，或在设置中设定远程服务器地址</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="163" />
      <source>The server refused the token (HTTP {http_status}): check the remote server token in Settings</source>
      <translation>服务器拒绝了令牌（HTTP {http_status}）：请在设置中检查远程服务器令牌</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="166" />
      <source>The server needs a token (HTTP {http_status}): set the remote server token and the remote base URL in Settings</source>
      <translation>服务器需要令牌（HTTP {http_status}）：请在设置中填写远程服务器令牌和远程服务器地址</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="169" />
      <source>The remote server token cannot be used: it must be printable ASCII text without spaces</source>
      <translation>远程服务器令牌无法使用：只能包含可打印的 ASCII 字符，且不能有空格</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="172" />
      <source>A remote draft cannot be restored on its server: pull it into a local drafts folder instead</source>
      <translation>远程草稿无法在其服务器上恢复：请改为把它拉取到本地草稿文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="176" />
      <source>The draft does not exist on the server</source>
      <translation>服务器上没有这个草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="178" />
      <source>The server refused the request (bad request)</source>
      <translation>服务器拒绝了请求（请求无效）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="180" />
      <source>The draft is locked on the server (lock timeout)</source>
      <translation>草稿在服务器上被锁定（等待锁超时）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="182" />
      <source>The server had an internal error</source>
      <translation>服务器发生内部错误</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="184" />
      <source>The server cannot save now (HTTP {http_status})</source>
      <translation>服务器暂时无法保存（HTTP {http_status}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="189" />
      <source>no space left on the disk</source>
      <translation>磁盘空间已满</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="191" />
      <source>the file system is read-only</source>
      <translation>文件系统为只读</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="193" />
      <source>permission denied</source>
      <translation>没有权限</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="195" />
      <source>input/output error (the disk may be failing)</source>
      <translation>输入/输出错误（磁盘可能出现故障）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="197" />
      <source>disk quota exceeded</source>
      <translation>超出磁盘配额</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="199" />
      <source>disk error: {strerror}</source>
      <translation>磁盘错误：{strerror}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="202" />
      <source>The version store is busy (locked by another save for more than {seconds} s)</source>
      <translation>版本库正忙（被另一次保存锁定超过 {seconds} 秒）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="205" />
      <source>The version store cannot be used: {detail}</source>
      <translation>版本库无法使用：{detail}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="208" />
      <source>The draft does not exist: {draft_id}</source>
      <translation>草稿不存在：{draft_id}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="210" />
      <source>The draft folder is gone: restore the whole version to bring it back</source>
      <translation>草稿文件夹已不存在：请恢复整个版本来找回它</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="212" />
      <source>No version of {draft_id} is kept here</source>
      <translation>这里没有保存 {draft_id} 的任何版本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="214" />
      <source>Version {version} does not exist</source>
      <translation>版本 {version} 不存在</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="216" />
      <source>Version {version} has no file {path}</source>
      <translation>版本 {version} 中没有文件 {path}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="218" />
      <source>Version {version} is damaged</source>
      <translation>版本 {version} 已损坏</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="220" />
      <source>Restore refused: version {version} names {path}, which is outside the draft folder</source>
      <translation>拒绝恢复：版本 {version} 中的 {path} 位于草稿文件夹之外</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="223" />
      <source>Restore refused: a name in {path} is {bytes} bytes, more than this file system allows ({limit})</source>
      <translation>拒绝恢复：{path} 中有一个名称长 {bytes} 字节，超过了此文件系统的上限（{limit}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="226" />
      <source>Restore refused: {path} is a folder in the working copy but a file in the version; move that folder away and restore again</source>
      <translation>拒绝恢复：{path} 在工作副本中是文件夹，在该版本中却是文件；请移走该文件夹后再恢复</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="230" />
      <source>Restore refused: version {version} has files whose names this system cannot tell apart ({paths})</source>
      <translation>拒绝恢复：版本 {version} 中有本系统无法区分名称的文件（{paths}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="233" />
      <source>the file is in use by another program (close CapCut / JianYing, or the program using it, and try again)</source>
      <translation>文件正被其他程序使用（请关闭剪映 / CapCut 或正在使用它的程序后重试）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="236" />
      <source>Restore refused: the stored copy of {path} is damaged</source>
      <translation>拒绝恢复：{path} 的存储副本已损坏</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="238" />
      <source>Restore refused: {path} is media that this version did not keep</source>
      <translation>拒绝恢复：{path} 是该版本没有保留的媒体文件</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="240" />
      <source>Restore stopped: {path} is no longer a folder</source>
      <translation>恢复已停止：{path} 已不再是文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="242" />
      <source>A folder named {name} exists already in {path}</source>
      <translation>{path} 中已有名为 {name} 的文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="244" />
      <source>The folder does not exist: {path}</source>
      <translation>文件夹不存在：{path}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="246" />
      <source>Not a folder: {path}</source>
      <translation>不是文件夹：{path}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="248" />
      <source>The folder cannot be read (permission denied): {path}</source>
      <translation>无法读取文件夹（没有权限）：{path}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="250" />
      <source>This folder is a draft itself, not a folder of drafts: choose the folder that holds it ({parent})</source>
      <translation>此文件夹本身是一个草稿，而不是存放草稿的文件夹：请选择包含它的文件夹（{parent}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="255" />
      <source>The download of {url} was cut short ({bytes} of {expected} bytes)</source>
      <translation>{url} 的下载中途中断（{bytes} / {expected} 字节）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="257" />
      <source>The download of {url} failed: {detail}</source>
      <translation>{url} 下载失败：{detail}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="259" />
      <source>The server no longer has {url}</source>
      <translation>服务器上已没有 {url}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="261" />
      <source>The server cannot send {url} now (HTTP {http_status})</source>
      <translation>服务器暂时无法发送 {url}（HTTP {http_status}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="263" />
      <source>The server refused to send {url} (HTTP {http_status})</source>
      <translation>服务器拒绝发送 {url}（HTTP {http_status}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="265" />
      <source>Save failed: unexpected error: {detail}</source>
      <translation>保存失败：意外错误：{detail}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="283" />
      <source>{text}: {said}</source>
      <translation>{text}：{said}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="287" />
      <source>{text}; the working copy was not changed</source>
      <translation>{text}；工作副本没有被改动</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="290" />
      <source>{text}; every file was put back as it was</source>
      <translation>{text}；所有文件都已恢复原样</translation>
    </message>
  </context>
  <context>
    <name>RestoreAsNewDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="140" />
      <source>Restore as a new draft</source>
      <translation>恢复为新草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="143" />
      <source>%1 (restored %2)</source>
      <translation>%1（恢复于 %2）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="146" />
      <source>The version of %1 is written into a new draft folder beside the original. The original draft is not touched.</source>
      <translation>%1 的版本会写入原草稿旁边的一个新草稿文件夹。原草稿不会被改动。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="150" />
      <source>How the editor finds it: CapCut and JianYing list drafts from their own index (root_meta_info.json), which only they write. Close the editor and open it again so that it looks at its drafts folder. Until it lists the new draft, Draft Keeper marks it “Not in the editor's list”.</source>
      <translation>编辑器如何找到它：CapCut 和剪映从它们自己的索引（root_meta_info.json）列出草稿，只有它们会写这个索引。请关闭编辑器再重新打开，让它重新查看草稿文件夹。在它列出新草稿之前，草稿守护会将其标记为“不在编辑器列表中”。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="164" />
      <source>Restore as new draft</source>
      <translation>恢复为新草稿</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="169" />
      <source>Name of the new draft folder:</source>
      <translation>新草稿文件夹的名称：</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/compare.py" line="192" />
      <source>Restored the version of %1 as a new draft: %2</source>
      <translation>已将 %1 的版本恢复为新草稿：%2</translation>
    </message>
  </context>
  <context>
    <name>Settings</name>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="32" />
      <source>Automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="65" />
      <source>Enter a whole number</source>
      <translation>请输入整数</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="66" />
      <source>Enter a number</source>
      <translation>请输入数字</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="80" />
      <source>Must be between {min} and {max}{unit}</source>
      <translation>必须在 {min} 到 {max}{unit} 之间</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="84" />
      <source>Not a usable URL: {reason}</source>
      <translation>不是可用的 URL：{reason}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="88" />
      <source>Must not be more than “{other}”</source>
      <translation>不能大于“{other}”</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="93" />
      <source>Use printable ASCII text without spaces</source>
      <translation>请使用不含空格的可打印 ASCII 字符</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="96" />
      <source>Must be one of: {choices}</source>
      <translation>必须是以下之一：{choices}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="139" />
      <source>http://host:port (empty: from each draft)</source>
      <translation>http://主机:端口（留空：取自各草稿）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="143" />
      <source>empty: none</source>
      <translation>留空：不使用</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/fields.py" line="146" />
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="50" />
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="57" />
      <source>Version store</source>
      <translation>版本库</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="58" />
      <source>Autosave every</source>
      <translation>自动保存间隔</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="59" />
      <source>Quiet period</source>
      <translation>静默时间</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="60" />
      <source>Keep last versions</source>
      <translation>保留最近版本数</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="61" />
      <source>Also keep media files (assets/, Resources/, big files)</source>
      <translation>同时保留媒体文件（assets/、Resources/、大文件）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="62" />
      <source>Remote base URL</source>
      <translation>远程服务器地址</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="63" />
      <source>Remote server token</source>
      <translation>远程服务器令牌</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="64" />
      <source>Connect timeout</source>
      <translation>连接超时</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="65" />
      <source>Total timeout</source>
      <translation>总超时</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="66" />
      <source>Maximum attempts</source>
      <translation>最多尝试次数</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="67" />
      <source>Requests per server</source>
      <translation>每台服务器的请求数</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="68" />
      <source>Serve the save_draft API to scripts on this computer</source>
      <translation>为本机脚本提供 save_draft 接口</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="69" />
      <source>Local API port</source>
      <translation>本地接口端口</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="70" />
      <source>Language (after a restart)</source>
      <translation>语言（重启后生效）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="71" />
      <source>Closing the window keeps saving in the system tray</source>
      <translation>关闭窗口后在系统托盘中继续保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="72" />
      <source>Start Draft Keeper when I log in</source>
      <translation>登录时启动草稿守护</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="73" />
      <source>Shared store (S3 URL)</source>
      <translation>共享存储（S3 地址）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="74" />
      <source>Shared store region</source>
      <translation>共享存储区域</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="75" />
      <source>Access key id</source>
      <translation>访问密钥 ID</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="76" />
      <source>Secret access key</source>
      <translation>秘密访问密钥</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="77" />
      <source>Team passphrase</source>
      <translation>团队口令</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="78" />
      <source>This machine's name</source>
      <translation>本机名称</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="81" />
      <source>Draft folders</source>
      <translation>草稿文件夹</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="86" />
      <source>Add…</source>
      <translation>添加…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="88" />
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="104" />
      <source>Show %n removed draft(s) again</source>
      <translation>
        <numerusform>重新显示 %n 个已移除的草稿</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="153" />
      <source>General</source>
      <translation>常规</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="154" />
      <source>Shared store</source>
      <translation>共享存储</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="168" />
      <source>Sent to no server until a remote base URL is set</source>
      <translation>设置远程服务器地址之前不会发送给任何服务器</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="169" />
      <source>The token goes only to the remote base server.</source>
      <translation>令牌只发送给远程服务器地址所指的服务器。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="171" />
      <source>Sent over plain http: anyone on the network can read it</source>
      <translation>通过未加密的 http 发送：网络上的任何人都能读取</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="172" />
      <source>Use https to reach another computer, or only a network you trust.</source>
      <translation>连接另一台电脑请使用 https，或只在可信的网络中使用。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="183" />
      <source>No shared store: versions are kept on this computer only.</source>
      <translation>未设置共享存储：版本只保存在这台电脑上。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="185" />
      <source>Drafts are encrypted on this computer before they are uploaded; every machine of the team needs the same passphrase.</source>
      <translation>草稿在上传前先在这台电脑上加密；团队的每台电脑都需要相同的口令。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="188" />
      <source>Without a passphrase the bucket holds plain (compressed) contents: whoever can read the bucket can read the drafts.</source>
      <translation>没有口令时，存储桶中保存的是未加密（仅压缩）的内容：能读取存储桶的人就能读取草稿。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="194" />
      <source>Removed drafts will be listed again</source>
      <translation>已移除的草稿将重新列出</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/dialogs/settings.py" line="198" />
      <source>Drafts folder</source>
      <translation>草稿文件夹</translation>
    </message>
  </context>
  <context>
    <name>SettingsHelp</name>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Draft folders to list and save.</source>
      <translation>要列出并保存的草稿文件夹。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Folder of the version store (empty: the default).</source>
      <translation>版本库所在的文件夹（留空：默认位置）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Also keep media files (assets/, Resources/, big files) in versions.</source>
      <translation>在版本中同时保留媒体文件（assets/、Resources/、大文件）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Files larger than this count as media.</source>
      <translation>大于此大小的文件视为媒体文件。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Newest versions kept per draft; older ones are thinned to one per hour for a day and one per day for 30 days.</source>
      <translation>每个草稿保留的最新版本数；更早的版本在一天内精简为每小时一个，30 天内精简为每天一个。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>How long to wait for the store's lock.</source>
      <translation>等待版本库锁的时间。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Save changed drafts in the background.</source>
      <translation>在后台保存有更改的草稿。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>How often autosave runs.</source>
      <translation>自动保存运行的频率。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>A draft is autosaved only after its files have been quiet this long.</source>
      <translation>草稿的文件静默这么久之后才会自动保存。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>How often draft folders are checked for changes.</source>
      <translation>检查草稿文件夹更改的频率。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Never autosave one draft more often than this.</source>
      <translation>同一草稿的自动保存间隔不会短于此值。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Saves that may run at the same time.</source>
      <translation>可同时进行的保存数。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>save_draft requests in flight at once to one remote server.</source>
      <translation>同时发往一台远程服务器的 save_draft 请求数。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Attempts of one save before it counts as failed.</source>
      <translation>一次保存在判定失败前的尝试次数。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>First retry delay (doubled on each attempt).</source>
      <translation>首次重试的延迟（每次尝试加倍）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Longest delay between retries.</source>
      <translation>两次重试之间的最长延迟。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Server for remote drafts (empty: taken from each draft_url).</source>
      <translation>远程草稿的服务器（留空：取自各 draft_url）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Bearer token sent to the remote base server, and to no other (a Draft Keeper serving with a token needs it; $DRAFTKEEPER_REMOTE_TOKEN overrides it).</source>
      <translation>发送给远程服务器（且仅发送给它）的 Bearer 令牌（使用令牌提供接口的 Draft Keeper 需要它；$DRAFTKEEPER_REMOTE_TOKEN 优先）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Drafts saved on a remote server.</source>
      <translation>保存在远程服务器上的草稿。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Local drafts removed from the list.</source>
      <translation>已从列表中移除的本地草稿。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Time allowed to connect to a remote server.</source>
      <translation>连接远程服务器的限时。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Time allowed for one save_draft request (a slow server saves while it answers).</source>
      <translation>一次 save_draft 请求的限时（较慢的服务器在应答期间保存）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Autosave sends save_draft for an unchanged remote draft only this often.</source>
      <translation>对于没有变化的远程草稿，自动保存最多按此间隔发送 save_draft。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Largest single file downloaded from a remote server (mirror and pull).</source>
      <translation>从远程服务器下载的单个文件的最大大小（镜像与拉取）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Language of the window and of the remote server's messages (auto: the system's).</source>
      <translation>窗口和远程服务器消息的语言（自动：跟随系统）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Closing the window keeps Draft Keeper saving in the system tray.</source>
      <translation>关闭窗口后，草稿守护在系统托盘中继续保存。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Start Draft Keeper when you log in.</source>
      <translation>登录时启动草稿守护。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Serve the save_draft API from this app.</source>
      <translation>由本程序提供 save_draft 接口。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Address the local API listens on (other than loopback needs a token).</source>
      <translation>本地接口监听的地址（非回环地址需要令牌）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Port of the local API.</source>
      <translation>本地接口的端口。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Bearer token the local API requires (needed off loopback).</source>
      <translation>本地接口要求的 Bearer 令牌（非回环地址时需要）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Web origin allowed to call the local API (empty: none).</source>
      <translation>允许调用本地接口的网页来源（留空：无）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Shared store for a second copy of every version, seen by other machines: s3://BUCKET/PREFIX or s3+http(s)://HOST:PORT/BUCKET/PREFIX (empty: none).</source>
      <translation>共享存储：每个版本的第二份副本，其他电脑也能看到：s3://BUCKET/PREFIX 或 s3+http(s)://HOST:PORT/BUCKET/PREFIX（留空：无）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Region of an s3:// shared store ($AWS_REGION wins; empty: us-east-1).</source>
      <translation>s3:// 共享存储所在的区域（$AWS_REGION 优先；留空：us-east-1）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Access key id for the shared store ($AWS_ACCESS_KEY_ID wins).</source>
      <translation>共享存储的访问密钥 ID（$AWS_ACCESS_KEY_ID 优先）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Secret access key for the shared store ($AWS_SECRET_ACCESS_KEY wins).</source>
      <translation>共享存储的私有访问密钥（$AWS_SECRET_ACCESS_KEY 优先）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>Team passphrase: the shared store's contents are encrypted on this machine (AES-256-GCM) and its names keyed ($DRAFTKEEPER_SHARE_PASSPHRASE wins; empty: the bucket holds plain compressed contents).</source>
      <translation>团队口令：共享存储的内容在本机加密（AES-256-GCM），对象名称也经过密钥处理（$DRAFTKEEPER_SHARE_PASSPHRASE 优先；留空：存储桶中保存未加密的压缩内容）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>prune --shared deletes an unneeded chunk only when it was uploaded longer ago than this (an upload in progress keeps its chunks).</source>
      <translation>prune --shared 只删除上传时间早于此值的无用数据块（正在进行的上传会保留它的数据块）。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/core/settings/table.py" line="0" />
      <source>This machine's name on the shared store's versions (empty: the host name).</source>
      <translation>本机在共享存储版本上显示的名称（留空：主机名）。</translation>
    </message>
  </context>
  <context>
    <name>Status</name>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/words/basic.py" line="29" />
      <source>%n second(s) ago</source>
      <translation>
        <numerusform>%n 秒前</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/words/basic.py" line="31" />
      <source>%n minute(s) ago</source>
      <translation>
        <numerusform>%n 分钟前</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/words/basic.py" line="33" />
      <source>%n hour(s) ago</source>
      <translation>
        <numerusform>%n 小时前</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/words/basic.py" line="34" />
      <source>%n day(s) ago</source>
      <translation>
        <numerusform>%n 天前</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="120" />
      <source>The server no longer has this draft; 1 version is kept here</source>
      <translation>服务器上已没有此草稿；本地保留了 1 个版本</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/words/reasons.py" line="122" />
      <source>The server no longer has this draft; %n version(s) are kept here</source>
      <translation>
        <numerusform>服务器上已没有此草稿；本地保留了 %n 个版本</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="306" />
      <source>Never saved</source>
      <translation>从未保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="307" />
      <source>Waiting for other saves</source>
      <translation>正在等待其他保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="308" />
      <source>The draft folder is gone</source>
      <translation>草稿文件夹已不存在</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/reasons.py" line="309" />
      <source>Server offline</source>
      <translation>服务器离线</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="20" />
      <source>unknown error</source>
      <translation>未知错误</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="28" />
      <source>Saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="29" />
      <source>Saved {ago}</source>
      <translation>已保存（{ago}）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="34" />
      <source>Unsaved changes</source>
      <translation>有未保存的更改</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="36" />
      <source>Queued</source>
      <translation>排队中</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="39" />
      <source>Saving…</source>
      <translation>正在保存…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="40" />
      <source>Saving… (attempt {n}/{max})</source>
      <translation>正在保存…（第 {n}/{max} 次尝试）</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/words/status.py" line="45" />
      <source>Server offline, next try in %n second(s)</source>
      <translation>
        <numerusform>服务器离线，%n 秒后重试</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/words/status.py" line="46" />
      <source>Retrying in %n second(s) ({attempt}/{max})</source>
      <translation>
        <numerusform>%n 秒后重试（{attempt}/{max}）</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="49" />
      <source>Failed: {why}</source>
      <translation>失败：{why}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="52" />
      <source>At risk: an earlier save failed: {why}</source>
      <translation>有风险：之前的保存失败：{why}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="54" />
      <source>At risk: last save failed {ago}: {why}</source>
      <translation>有风险：上次保存失败于 {ago}：{why}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="63" />
      <source>Missing</source>
      <translation>缺失</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="69" />
      <source>saved</source>
      <translation>已保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="70" />
      <source>unsaved</source>
      <translation>未保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="71" />
      <source>queued</source>
      <translation>排队中</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="72" />
      <source>saving</source>
      <translation>保存中</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="73" />
      <source>retrying</source>
      <translation>重试中</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="74" />
      <source>failed</source>
      <translation>失败</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="75" />
      <source>at risk</source>
      <translation>有风险</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="76" />
      <source>missing</source>
      <translation>缺失</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="77" />
      <source>lost on the server</source>
      <translation>在服务器上丢失</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="86" />
      <source>on the shared store</source>
      <translation>已在共享存储</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="88" />
      <source>uploading {percent}%</source>
      <translation>正在上传 {percent}%</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="91" />
      <source>not yet on the shared store: offline since {time}</source>
      <translation>尚未上传到共享存储：自 {time} 起离线</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="95" />
      <source>not yet on the shared store: {why}</source>
      <translation>尚未上传到共享存储：{why}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/words/status.py" line="104" />
      <source>{status} · {share}</source>
      <translation>{status} · {share}</translation>
    </message>
  </context>
  <context>
    <name>StoreBanner</name>
    <message>
      <location filename="app/draftkeeper/ui/window/notices.py" line="109" />
      <source>Choose another store…</source>
      <translation>选择其他版本库…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/notices.py" line="110" />
      <source>Use the default store</source>
      <translation>使用默认版本库</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/notices.py" line="121" />
      <source>&lt;b&gt;Nothing is being saved: the version store cannot be used.&lt;/b&gt;&lt;br&gt;{problem}</source>
      <translation>&lt;b&gt;没有任何内容在保存：版本库无法使用。&lt;/b&gt;&lt;br&gt;{problem}</translation>
    </message>
  </context>
  <context>
    <name>TimelineActions</name>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="39" />
      <source>Restore</source>
      <translation>恢复</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="49" />
      <source>Bring the draft's folder back from the version of %1?</source>
      <translation>要从 %1 的版本找回草稿文件夹吗？</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="52" />
      <source>Restore the version of %1?

The draft's current state is saved as a new version first, so this restore can be undone from this list.

Close CapCut / JianYing before restoring: an open editor can overwrite the restored files with what it has in memory.</source>
      <translation>恢复 %1 的版本吗？

草稿的当前状态会先保存为一个新版本，因此可以从此列表撤销这次恢复。

恢复前请关闭 CapCut / 剪映：打开着的编辑器可能会用内存中的内容覆盖恢复的文件。</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="58" />
      <source>%n media file(s) were not kept in this version and stay as they are.</source>
      <translation>
        <numerusform>此版本未保留的 %n 个媒体文件保持原样。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="68" />
      <source>; %n file(s) moved aside</source>
      <translation>
        <numerusform>；%n 个文件已移到一旁</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="70" />
      <source>%1: restored version %2 (%3 file(s) written%4)</source>
      <translation>%1：已恢复版本 %2（写入 %3 个文件%4）</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="74" />
      <source>Restore…</source>
      <translation>恢复…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="94" />
      <source>Restore a file</source>
      <translation>恢复一个文件</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="95" />
      <source>Bring back one file of the version of %1; every other file stays as it is. The current state is saved first.</source>
      <translation>从 %1 的版本找回一个文件；其他文件保持不变。当前状态会先被保存。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="116" />
      <source>%1: restored %2 from the version of %3</source>
      <translation>%1：已从 %3 的版本恢复 %2</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="146" />
      <source>Pin version</source>
      <translation>固定版本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/actions.py" line="147" />
      <source>A pinned version is never thinned. Name it (optional), e.g. “sent to client”:</source>
      <translation>固定的版本永远不会被精简。为它命名（可选），例如“已发给客户”：</translation>
    </message>
  </context>
  <context>
    <name>TimelineDialog</name>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="55" />
      <source>History of %1</source>
      <translation>%1 的历史</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="62" />
      <source>Time</source>
      <translation>时间</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="62" />
      <source>Why</source>
      <translation>原因</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="62" />
      <source>What changed</source>
      <translation>变化内容</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="62" />
      <source>Content</source>
      <translation>内容</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="63" />
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="77" />
      <source>Collapse runs of autosaves</source>
      <translation>折叠连续的自动保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="78" />
      <source>Show only the newest autosave of each run between manual saves and pins</source>
      <translation>在手动保存和固定版本之间，每段连续自动保存只显示最新的一个</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="93" />
      <source>Bring back…</source>
      <translation>找回…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="94" />
      <source>Restore…</source>
      <translation>恢复…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="95" />
      <source>Make the draft's folder hold this version</source>
      <translation>让草稿文件夹恢复为此版本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="96" />
      <source>Restore as new draft…</source>
      <translation>恢复为新草稿…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="97" />
      <source>Write this version into a new folder beside the original, which stays as it is</source>
      <translation>把此版本写入原草稿旁边的新文件夹，原草稿保持不变</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="99" />
      <source>Restore a file…</source>
      <translation>恢复一个文件…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="100" />
      <source>Compare</source>
      <translation>比较</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="101" />
      <source>One version selected: with the working copy; two: with each other</source>
      <translation>选中一个版本：与工作副本比较；选中两个：相互比较</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="103" />
      <source>Pin…</source>
      <translation>固定…</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="104" />
      <source>A pinned version is never thinned by retention; give it a name</source>
      <translation>固定的版本永远不会被保留策略精简；可以为它命名</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="106" />
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="139" />
      <source>Restored from %1</source>
      <translation>从 %1 恢复</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="142" />
      <source>Manual save</source>
      <translation>手动保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="143" />
      <source>Autosave</source>
      <translation>自动保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="144" />
      <source>Before restore</source>
      <translation>恢复前</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="145" />
      <source>Restored</source>
      <translation>已恢复</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="158" />
      <source>%n files changed</source>
      <translation>
        <numerusform>%n 个文件有变化</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="160" />
      <source>%n added</source>
      <translation>
        <numerusform>新增 %n 个</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="162" />
      <source>%n removed</source>
      <translation>
        <numerusform>删除 %n 个</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="164" />
      <source>no file changed</source>
      <translation>没有文件变化</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="170" />
      <source>not readable</source>
      <translation>无法读取</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="171" />
      <source>%1 · %2 tracks · %3 segments · %4 texts</source>
      <translation>%1 · %2 条轨道 · %3 个片段 · %4 段文本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="177" />
      <source>%1 texts</source>
      <translation>%1 段文本</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="179" />
      <source>%1 segments</source>
      <translation>%1 个片段</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="196" />
      <source>● Current</source>
      <translation>● 当前</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="198" />
      <source>★ Pinned</source>
      <translation>★ 已固定</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="200" />
      <source>Damaged: %1</source>
      <translation>已损坏：%1</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="209" />
      <source>version %1</source>
      <translation>版本 %1</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="220" />
      <source>No versions yet.</source>
      <translation>还没有版本。</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="222" />
      <source>The editor deleted this draft's folder. Its %n version(s) are kept: select one and choose Bring back to make the folder again.</source>
      <translation>
        <numerusform>编辑器删除了此草稿的文件夹。它的 %n 个版本仍然保留：选择一个并点击“找回”即可重新生成文件夹。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="227" />
      <source>%n version(s), newest first. </source>
      <translation>
        <numerusform>共 %n 个版本，最新的在前。</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="228" />
      <source>The marked one equals the draft as it is now.</source>
      <translation>带标记的版本与草稿当前状态相同。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="229" />
      <source>The draft has changed since the latest version.</source>
      <translation>自最新版本以来草稿已有变化。</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="265" />
      <source>Unpin</source>
      <translation>取消固定</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="269" />
      <source>Changed</source>
      <translation>修改</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="270" />
      <source>Added</source>
      <translation>新增</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="271" />
      <source>Removed</source>
      <translation>删除</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="276" />
      <source>%n media file(s) not kept in this version</source>
      <translation>
        <numerusform>此版本未保留 %n 个媒体文件</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/timeline/dialog.py" line="278" />
      <source>Nothing changed in the files.</source>
      <translation>文件没有任何变化。</translation>
    </message>
  </context>
  <context>
    <name>Tray</name>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/tray/icon.py" line="43" />
      <source>%n draft(s) at risk</source>
      <translation>
        <numerusform>%n 个草稿有风险</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/tray/icon.py" line="45" />
      <source>Saving %n draft(s)…</source>
      <translation>
        <numerusform>正在保存 %n 个草稿…</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/icon.py" line="47" />
      <source>All drafts saved</source>
      <translation>所有草稿已保存</translation>
    </message>
    <message numerus="yes">
      <location filename="app/draftkeeper/ui/tray/icon.py" line="49" />
      <source>%n draft(s) not yet on the shared store</source>
      <translation>
        <numerusform>%n 个草稿尚未上传到共享存储</numerusform>
      </translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/icon.py" line="51" />
      <source>Autosave paused until {time}</source>
      <translation>自动保存已暂停，直到 {time}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/icon.py" line="53" />
      <source>Draft Keeper: {state}</source>
      <translation>草稿守护：{state}</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/icon.py" line="74" />
      <source>Show window</source>
      <translation>显示窗口</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/icon.py" line="75" />
      <source>Save all</source>
      <translation>全部保存</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/icon.py" line="76" />
      <source>Pause autosave for 1 hour</source>
      <translation>暂停自动保存 1 小时</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/tray/icon.py" line="78" />
      <source>Quit</source>
      <translation>退出</translation>
    </message>
  </context>
  <context>
    <name>UndoBar</name>
    <message>
      <location filename="app/draftkeeper/ui/window/notices.py" line="137" />
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <location filename="app/draftkeeper/ui/window/notices.py" line="138" />
      <source>Put it back on the list and autosave it (Ctrl+Z)</source>
      <translation>放回列表并自动保存（Ctrl+Z）</translation>
    </message>
  </context>
</TS>
