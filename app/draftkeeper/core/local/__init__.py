"""The local engine: saves the drafts of the draft roots as versions in the store,
restores them, and reads their history as a timeline and as comparisons.

May import ``store``, ``blobs``, ``drafts``, ``settings`` and the shared leaves.
"""
