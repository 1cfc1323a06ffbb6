<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ActivityPanel</name>
    <message>
      <location filename="app/ui/activity.py" line="61" />
      <source>version {id}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/activity.py" line="67" />
      <source>removed from the list</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/activity.py" line="75" />
      <source>{status}: {error}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/activity.py" line="81" />
      <source>Saved on its server</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/activity.py" line="83" />
      <source>Saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/activity.py" line="86" />
      <source>Unchanged: already saved as version {v}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/activity.py" line="87" />
      <source>Saved as version {v}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>AddFolderDialog</name>
    <message>
      <location filename="app/ui/dialogs.py" line="78" />
      <source>Add drafts folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="80" />
      <source>…/com.lveditor.draft or any folder of drafts</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="82" />
      <source>Browse…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="88" />
      <source>A folder whose subfolders are drafts (CapCut, JianYing or capcut-mate's output/draft):</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="95" />
      <source>Drafts folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="102" />
      <source>Choose a folder</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>AddUrlDialog</name>
    <message>
      <location filename="app/ui/dialogs.py" line="108" />
      <source>Add draft URL</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="112" />
      <source>https://your-server/openapi/capcut-mate/v1/get_draft?draft_id=…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="116" />
      <source>The draft_url of a draft on a capcut-mate server. It is saved through that server's save_draft API; its server can be overridden in Settings.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>DraftTable</name>
    <message>
      <location filename="app/ui/model.py" line="42" />
      <source>Name</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="43" />
      <source>Draft ID</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="44" />
      <source>Where</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="45" />
      <source>Status</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="46" />
      <source>Last saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="47" />
      <source>Versions</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="48" />
      <source>Size</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="158" />
      <source>never</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/model.py" line="161" />
      <source>%n save(s)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="186" />
      <source>Remote draft on {where}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/model.py" line="188" />
      <source>Local draft in {where}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>EmptyPage</name>
    <message>
      <location filename="app/ui/notices.py" line="19" />
      <source>No drafts yet</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/notices.py" line="22" />
      <source>Draft Keeper keeps your CapCut and JianYing drafts safe: it saves each draft as a version you can restore, by a click and automatically in the background.
Point it at the folder that holds your drafts, or add a draft that lives on a capcut-mate server, and its save status shows here live.</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>HistoryDialog</name>
    <message>
      <location filename="app/ui/dialogs.py" line="137" />
      <source>History of {name}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="144" />
      <source>Time</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="144" />
      <source>Outcome</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="144" />
      <source>Message</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="145" />
      <source>Reason</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="145" />
      <source>Files</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="145" />
      <source>Size</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="146" />
      <source>Files not kept</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="152" />
      <source>Restore…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="156" />
      <source>Remote drafts are restored on their server</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="158" />
      <source>Close</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="184" />
      <source>version {id}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="187" />
      <source>No versions yet.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="188" />
      <source>No saves yet.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="190" />
      <source>Saves of this draft on its server, newest first.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/dialogs.py" line="192" />
      <source>%n version(s), newest first.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="211" />
      <source>Restore the version of {when}?

The draft's current state is saved as a new version first, so this restore can be undone from this list.

Close CapCut / JianYing before restoring: an open editor can overwrite the restored files with what it has in memory.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/dialogs.py" line="219" />
      <source>%n media file(s) not kept in this version stay as they are.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="226" />
      <source>Restore version</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="228" />
      <source>Restore</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>MainWindow</name>
    <message>
      <location filename="app/ui/closing.py" line="162" />
      <source>Quit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/closing.py" line="238" />
      <source>Quit cancelled; the window stays open</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="83" />
      <source>Draft Keeper</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="108" />
      <source>Filter by name, draft id or folder…  (Ctrl+F)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="155" />
      <source>Local API</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="160" />
      <source>Add drafts folder…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="161" />
      <source>Add draft URL…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="162" />
      <source>Create a sample draft</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="179" />
      <source>Save</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="181" />
      <source>Save the selected drafts now (Ctrl+S)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="183" />
      <source>Save all</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="184" />
      <source>Save every draft with unsaved changes (Ctrl+Shift+S)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="185" />
      <source>Autosave</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="188" />
      <source>Save changed drafts automatically</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="191" />
      <source>Add a folder whose subfolders are drafts</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="193" />
      <source>Add a draft kept on a capcut-mate server</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="196" />
      <source>Remove from list</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="197" />
      <source>Stop listing and autosaving the selected drafts (nothing is deleted; Ctrl+Z undoes it)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="199" />
      <source>Undo remove</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="201" />
      <source>Put the draft just removed back on the list</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="203" />
      <source>Open folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="204" />
      <source>Open the draft's folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="205" />
      <source>History…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="206" />
      <source>Versions of the selected draft, and restore (Enter)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="208" />
      <source>Settings…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="209" />
      <source>Settings (Ctrl+,)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="210" />
      <source>About Draft Keeper</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="217" />
      <source>Main toolbar</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="227" />
      <source> every </source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="231" />
      <source>Autosave interval, {limits}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="242" />
      <source>&amp;File</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="247" />
      <source>&amp;Draft</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="251" />
      <source>&amp;Settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="254" />
      <source>&amp;Help</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="277" />
      <source>Activity</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/window.py" line="333" />
      <source>%n draft(s)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="337" />
      <source>{n} {state}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="341" />
      <source>Nothing is saved: the version store cannot be used</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="343" />
      <source>autosave every {s} s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="345" />
      <source>autosave off</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="352" />
      <source>Looking in: {roots}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="353" />
      <source>No drafts yet</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="354" />
      <source>Drafts are listed once the store works</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="392" />
      <source>{doing} failed: {error!r}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="393" />
      <source>Command</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="444" />
      <source>must be between {limits}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="446" />
      <source>Autosave interval {text!r}: {problem}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="459" />
      <source>Autosave on, every {s:g} s</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="460" />
      <source>Autosave off</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="476" />
      <source>Added drafts folder {path}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="478" />
      <source>Add folder</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="488" />
      <source>Added remote draft {url}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="490" />
      <source>Add draft URL</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="495" />
      <source>Created sample draft {id}; saving it</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="500" />
      <source>Create sample draft</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="519" />
      <source>{n} drafts</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="520" />
      <source>Removed {name} from the list: no longer autosaved.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="540" />
      <source>Back on the list: {names}</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/window.py" line="572" />
      <source>{name}: restored version {version} (%n file(s) written)</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/window.py" line="576" />
      <source>; %n file(s) moved aside</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="581" />
      <source>Restore</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="582" />
      <source>History</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="619" />
      <source>Settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="621" />
      <source>Settings saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="652" />
      <source>Version store</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="668" />
      <source>Versions are kept in {path}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="677" />
      <source>&lt;h3&gt;Draft Keeper {version}&lt;/h3&gt;&lt;p&gt;Keeps CapCut / JianYing drafts safe: live save status, autosave, versions and restore, locally or through a capcut-mate server.&lt;/p&gt;&lt;p&gt;Versions: {store}&lt;br&gt;Settings: {settings}&lt;br&gt;Log file: {log}&lt;/p&gt;</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="704" />
      <source>Local API: {url}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="706" />
      <source>Local API serving save_draft on {url}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/window.py" line="715" />
      <source>Local API stopped</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>QuitDialog</name>
    <message>
      <location filename="app/ui/closing.py" line="45" />
      <source>Quit Draft Keeper?</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/closing.py" line="58" />
      <source>Keep window open</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/closing.py" line="61" />
      <source>Quit without saving</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/closing.py" line="91" />
      <source>Saving %n draft(s) before quitting…</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/closing.py" line="95" />
      <source>Giving up in %n second(s). Drafts not saved by then stay open in the window.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/closing.py" line="100" />
      <source>%n draft(s) not saved. Quit anyway?</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/closing.py" line="103" />
      <source>While the window stays open, Draft Keeper keeps trying to save them.</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/closing.py" line="106" />
      <source>Quitting in %n second(s).</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Settings</name>
    <message>
      <location filename="app/ui/fields.py" line="32" />
      <source>Automatic</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="65" />
      <source>Enter a whole number</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="66" />
      <source>Enter a number</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="80" />
      <source>Must be between {min} and {max}{unit}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="84" />
      <source>Not a usable URL: {reason}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="88" />
      <source>Must not be more than “{other}”</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="93" />
      <source>Must be one of: {choices}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="136" />
      <source>http://host:port (empty: from each draft)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/fields.py" line="139" />
      <source>Browse…</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SettingsDialog</name>
    <message>
      <location filename="app/ui/dialogs.py" line="246" />
      <source>Settings</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="253" />
      <source>Version store</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="254" />
      <source>Autosave every</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="255" />
      <source>Quiet period</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="256" />
      <source>Keep last versions</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="257" />
      <source>Also keep media files (assets/, Resources/, big files)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="258" />
      <source>Remote base URL</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="259" />
      <source>Connect timeout</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="260" />
      <source>Total timeout</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="261" />
      <source>Maximum attempts</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="262" />
      <source>Requests per server</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="263" />
      <source>Serve the save_draft API to scripts on this computer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="264" />
      <source>Local API port</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="265" />
      <source>Language (after a restart)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="266" />
      <source>Closing the window keeps saving in the system tray</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="267" />
      <source>Start Draft Keeper when I log in</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="270" />
      <source>Draft folders</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="275" />
      <source>Add…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="277" />
      <source>Remove</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/dialogs.py" line="293" />
      <source>Show %n removed draft(s) again</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="322" />
      <source>Removed drafts will be listed again</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/dialogs.py" line="326" />
      <source>Drafts folder</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>SettingsHelp</name>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Draft folders to list and save.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Folder of the version store (empty: the default).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Also keep media files (assets/, Resources/, big files) in versions.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Files larger than this count as media.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Newest versions kept per draft; older ones are thinned to one per hour for a day and one per day for 30 days.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>How long to wait for the store's lock.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Save changed drafts in the background.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>How often autosave runs.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>A draft is autosaved only after its files have been quiet this long.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>How often draft folders are checked for changes.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Never autosave one draft more often than this.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Saves that may run at the same time.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>save_draft requests in flight at once to one remote server.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Attempts of one save before it counts as failed.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>First retry delay (doubled on each attempt).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Longest delay between retries.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Server for remote drafts (empty: taken from each draft_url).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Drafts saved on a remote server.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Local drafts removed from the list.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Time allowed to connect to a remote server.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Time allowed for one save_draft request (a slow server saves while it answers).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Language of the window and of the remote server's messages (auto: the system's).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Closing the window keeps Draft Keeper saving in the system tray.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Start Draft Keeper when you log in.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Serve the save_draft API from this app.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Address the local API listens on (other than loopback needs a token).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Port of the local API.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Bearer token the local API requires (needed off loopback).</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/core/settings.py" line="0" />
      <source>Web origin allowed to call the local API (empty: none).</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>Status</name>
    <message numerus="yes">
      <location filename="app/ui/words.py" line="24" />
      <source>%n second(s) ago</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/words.py" line="26" />
      <source>%n minute(s) ago</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/words.py" line="28" />
      <source>%n hour(s) ago</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/words.py" line="29" />
      <source>%n day(s) ago</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="50" />
      <source>unknown error</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="59" />
      <source>Saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="60" />
      <source>Saved {ago}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="64" />
      <source>Never saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="65" />
      <source>Unsaved changes</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="67" />
      <source>Queued</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="70" />
      <source>Saving…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="71" />
      <source>Saving… (attempt {n}/{max})</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/words.py" line="76" />
      <source>Server offline, next try in %n second(s)</source>
      <translation type="unfinished" />
    </message>
    <message numerus="yes">
      <location filename="app/ui/words.py" line="77" />
      <source>Retrying in %n second(s) ({attempt}/{max})</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="80" />
      <source>Failed: {why}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="83" />
      <source>At risk: an earlier save failed: {why}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="85" />
      <source>At risk: last save failed {ago}: {why}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="88" />
      <source>Missing</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="94" />
      <source>saved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="95" />
      <source>unsaved</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="96" />
      <source>queued</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="97" />
      <source>saving</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="98" />
      <source>retrying</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="99" />
      <source>failed</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="100" />
      <source>at risk</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/words.py" line="101" />
      <source>missing</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>StoreBanner</name>
    <message>
      <location filename="app/ui/notices.py" line="73" />
      <source>Choose another store…</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/notices.py" line="74" />
      <source>Use the default store</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/notices.py" line="85" />
      <source>&lt;b&gt;Nothing is being saved: the version store cannot be used.&lt;/b&gt;&lt;br&gt;{problem}</source>
      <translation type="unfinished" />
    </message>
  </context>
  <context>
    <name>UndoBar</name>
    <message>
      <location filename="app/ui/notices.py" line="100" />
      <source>Undo</source>
      <translation type="unfinished" />
    </message>
    <message>
      <location filename="app/ui/notices.py" line="101" />
      <source>Put it back on the list and autosave it (Ctrl+Z)</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
