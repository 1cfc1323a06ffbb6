"""The shared store: a second copy of every version in an S3-compatible bucket that
several machines share (share URLs, the object client, the layout of the bucket,
replication of local versions, and reading other machines' versions back).

Objects are immutable and written put-if-absent; no upload needs a lock. Nothing here is
imported by a command that does not use the shared store (``obstore`` is imported only
when a client is opened). May import ``store`` and what it may.
"""
