"""Remote mode: the ``RemoteEngine`` (a save_draft client for capcut-mate servers),
its URLs, token and answer classification, the HTTP exchange, downloads, the local
mirror of remote drafts and pulling them into a drafts folder.

May import ``store``, ``blobs``, ``drafts``, ``settings`` and the shared leaves.
"""
