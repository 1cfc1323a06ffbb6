"""The Qt-free core of Draft Keeper: asyncio, the standard library and a few libraries
(httpx, zstandard, pyfastcdc, watchfiles, aiohttp), checked with ``mypy --strict``.

The modules directly in this folder are the shared leaves every package below may use:
errors, paths, logs, fsutil, urls, retry and backend (the save contract). They import
nothing else of Draft Keeper. The packages, bottom to top: settings, platform, blobs,
drafts, store, then saving, local and remote side by side, session, serve (the README's
layering table says exactly which may import which). Nothing here imports Qt.
"""
