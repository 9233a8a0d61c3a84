"""The answer engine: a question in, a reply out. Imports nothing from Discord or the runtime."""
