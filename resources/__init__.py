"""Draft Keeper's resources (installed as the package ``app.resources``): icons and the
desktop entry, read through importlib.resources."""
