"""What a draft is and where it lives: draft roots and folders, the editor's index
(``root_meta_info.json``), covers, durations, badges, content facts parsed away from the
save path, the sample draft, and file-system events for local roots.

May import the core's shared leaves and ``settings``.
"""
