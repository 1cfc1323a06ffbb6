"""Versions: atomic manifests over content-addressed blobs, the snapshot that a save takes,
retention, staged and journaled restore, verify, the store's lock and trash, the record of
save attempts, and the quick unchanged check that the command line asks first. ``Store``
(store.py) ties them together.

A version exists when its manifest exists; manifests are written with the one safe-write
routine (temp, write, flush, fsync, replace, fsync folder) after all of their blobs, so a
crash at any point leaves earlier versions intact and no partial version visible.

May import ``blobs``, ``drafts`` and the core's shared leaves. ``quick``, ``keys`` and
``attempts`` stay light (the standard library only): the quick save imports them before
anything else.
"""
