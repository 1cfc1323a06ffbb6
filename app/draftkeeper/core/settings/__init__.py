"""Typed settings, each declared once (name, type, default, range, help), and the
settings file they are loaded from and saved to.

May import only the core's shared leaves.
"""
