"""Content-addressed objects on disk: the store's I/O seam (durable writes, fault
injection), SHA-256 hashing, content-defined chunking, zstd blobs and the backing folder
they live in.

May import only the core's shared leaves (``fsutil``).
"""
