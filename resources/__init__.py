"""Draft Keeper's resources (installed as the package ``draftkeeper.resources``): icons and the
desktop entry, read through importlib.resources."""
