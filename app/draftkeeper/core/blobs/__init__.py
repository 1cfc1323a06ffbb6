"""Content-addressed objects on disk: the store's I/O seam (durable writes, fault
injection), SHA-256 hashing, content-defined chunking, zstd (or raw) blobs, and where
they live: the backing folder, and the object database that packs the small ones.

May import only the core's shared leaves (``fsutil``).
"""
