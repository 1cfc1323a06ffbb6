// The spec's JavaScript examples (spec/save_draft.md), copied verbatim. Restored from the
// flattened source only where the flattening broke them: indentation and the backticks of
// two template literals. The usage runs as written except for the base URL, the auto-save
// interval and the stop delay, which come from the command line:
//   node tests/spec_draft_manager.mjs BASE_URL INTERVAL_MS STOP_AFTER_MS
const [baseUrl, intervalMs, stopAfterMs] = process.argv.slice(2);

// JavaScript Example (its relative URL made absolute: outside a browser there is no page)
const saveDraft = async (draftUrl) => {
  const response = await fetch(`${baseUrl}/openapi/capcut-mate/v1/save_draft`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ draft_url: draftUrl })
  });
  return response.json();
};
// Save draft
const draftUrl0 = "https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258";
const result = await saveDraft(draftUrl0);
console.log('Draft saved successfully:', result.draft_url);

// Advanced JavaScript Example
class DraftManager {
  constructor(baseUrl = 'https://capcut-mate.jcaigc.cn') {
    this.baseUrl = baseUrl;
  }
  async saveDraft(draftUrl) {
    const response = await fetch(`${this.baseUrl}/openapi/capcut-mate/v1/save_draft`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ draft_url: draftUrl })
    });
    if (!response.ok) {
      throw new Error(`Failed to save draft: ${response.statusText}`);
    }
    return response.json();
  }
  // Auto-save function
  async autoSave(draftUrl, intervalMs = 30000) {
    const saveInterval = setInterval(async () => {
      try {
        await this.saveDraft(draftUrl);
        console.log(`Auto-save successful: ${new Date().toLocaleTimeString()}`);
      } catch (error) {
        console.error('Auto-save failed:', error);
      }
    }, intervalMs);
    // Return function to stop auto-save
    return () => clearInterval(saveInterval);
  }
  // Save during editing workflow
  async editWorkflow(draftUrl, operations) {
    const results = [];
    for (const operation of operations) {
      try {
        // Execute editing operation (example here)
        const editResult = await operation();
        results.push(editResult);
        // Auto-save after each operation
        await this.saveDraft(draftUrl);
        console.log(`Operation completed and saved: ${operation.name}`);
      } catch (error) {
        console.error(`Operation failed: ${operation.name}`, error);
        results.push({ error: error.message });
      }
    }
    return results;
  }
  // Batch save multiple drafts
  async saveMutipleDrafts(draftUrls) {
    const results = {};
    for (const [name, url] of Object.entries(draftUrls)) {
      try {
        const result = await this.saveDraft(url);
        results[name] = result;
        // Add delay to avoid too fast requests
        await new Promise(resolve => setTimeout(resolve, 100));
      } catch (error) {
        console.error(`Failed to save draft ${name}:`, error);
        results[name] = { error: error.message };
      }
    }
    return results;
  }
}
// Usage example
const draftManager = new DraftManager(baseUrl);
// Basic save
const draftUrl = "https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258";
await draftManager.saveDraft(draftUrl);
// Start auto-save (save every 30 seconds)
const stopAutoSave = await draftManager.autoSave(draftUrl, Number(intervalMs));
// Stop auto-save after editing is complete
setTimeout(() => {
  stopAutoSave();
  console.log('Auto-save stopped');
}, Number(stopAfterMs)); // Stop after 5 minutes
// Batch save multiple drafts
const multipleDrafts = {
  "project1": "https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258",
  "project2": "https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258"
};
const saveResults = await draftManager.saveMutipleDrafts(multipleDrafts);
console.log(JSON.stringify(saveResults));
// an error row as this client sees it
try {
  await draftManager.saveDraft(draftUrl.replace("2025092811473036584258", "missing-draft"));
} catch (error) {
  console.log(error.message);
}
