"""Draft Keeper: keeps CapCut / JianYing video drafts safe."""

__version__ = "0.1.0"
