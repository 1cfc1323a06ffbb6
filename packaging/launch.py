"""Entry point of the packaged program (PyInstaller runs this file)."""

from app.cli import main

raise SystemExit(main())
