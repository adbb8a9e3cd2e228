"""The bundled offline demo library: content, the script that builds it, and the built file."""
