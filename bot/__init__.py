"""medfaq: answers medication questions from a curated knowledge base; not medical advice."""

__version__ = "0.1.0"
