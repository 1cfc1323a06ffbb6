"""The spec's Python example (spec/save_draft.md, "Python Example"), copied verbatim.

Restored from the flattened source only where the flattening broke it: indentation, and
``def init`` -> ``def __init__`` (the Markdown ate the underscores; as printed, ``init`` is
not a constructor and ``DraftSaver()`` would have no ``base_url``). The usage example below
the class runs as written except for the base URL, the auto-save interval and the final
sleep (600 s), which come from the command line:

    python tests/spec_draft_saver.py BASE_URL INTERVAL_S SLEEP_S
"""
# ruff: noqa: I001, UP006, UP035

import requests
import time
import threading
from typing import Dict, List, Callable


class DraftSaver:
    def __init__(self, base_url: str = "https://assets.jcaigc.cn"):
        self.base_url = base_url
        self._auto_save_threads = {}

    def save_draft(self, draft_url: str) -> Dict:
        """Save draft"""
        response = requests.post(
            f'{self.base_url}/openapi/capcut-mate/v1/save_draft',
            headers={'Content-Type': 'application/json'},
            json={"draft_url": draft_url}
        )
        response.raise_for_status()
        return response.json()

    def auto_save(self, draft_url: str, interval_seconds: int = 30) -> str:
        """Start auto-save, return thread ID for stopping"""
        def save_loop():
            while True:
                try:
                    self.save_draft(draft_url)
                    print(f"Auto-save successful: {time.strftime('%H:%M:%S')}")
                    time.sleep(interval_seconds)
                except Exception as e:
                    print(f"Auto-save failed: {e}")
                    time.sleep(5)  # Wait 5 seconds before retry after error

        thread_id = f"auto_save_{int(time.time())}"
        thread = threading.Thread(target=save_loop, daemon=True)
        thread.start()
        self._auto_save_threads[thread_id] = thread

        return thread_id

    def stop_auto_save(self, thread_id: str):
        """Stop auto-save"""
        if thread_id in self._auto_save_threads:
            # Thread is daemon, will stop automatically when program ends
            del self._auto_save_threads[thread_id]
            print(f"Auto-save thread {thread_id} marked to stop")

    def save_with_retry(self, draft_url: str, max_retries: int = 3) -> Dict:
        """Save with retry mechanism"""
        for attempt in range(max_retries):
            try:
                return self.save_draft(draft_url)
            except Exception as e:
                if attempt == max_retries - 1:
                    raise e
                print(f"Save failed, attempt {attempt + 1} retry: {e}")
                time.sleep(2 ** attempt)  # Exponential backoff


def usage_example(base_url: str, interval_seconds: float, sleep_seconds: float) -> None:
    # Usage example
    saver = DraftSaver(base_url)

    # Basic save
    draft_url = "https://capcut-mate.jcaigc.cn/openapi/capcut-mate/v1/get_draft?draft_id=2025092811473036584258"
    result = saver.save_draft(draft_url)
    print(f"Draft saved successfully: {result['draft_url']}")

    # Save with retry
    try:
        result = saver.save_with_retry(draft_url, max_retries=3)
        print("Save successful (with retry mechanism)")
    except Exception as e:
        print(f"Save ultimately failed: {e}")

    # Start auto-save
    auto_save_id = saver.auto_save(draft_url, interval_seconds=interval_seconds)
    print(f"Auto-save started, ID: {auto_save_id}")

    # Stop auto-save after 10 minutes
    time.sleep(sleep_seconds)
    saver.stop_auto_save(auto_save_id)


if __name__ == "__main__":
    import sys

    usage_example(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
    del List, Callable  # imported by the example, unused by it
