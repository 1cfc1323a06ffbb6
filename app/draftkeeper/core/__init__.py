"""Qt-free core of Draft Keeper: asyncio and the standard library (plus httpx, zstandard)."""
