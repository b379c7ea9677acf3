"""The ENV5001 calculation engine: plain Python, no Django.

Dataclasses in, dataclasses out. Django apps wrap it; nothing here touches a
database, a request or a file outside what the caller hands in.
"""

ENGINE_VERSION = "1.0.0"
