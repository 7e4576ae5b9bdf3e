"""Code that knows nothing of the desk's models: safe HTTP, extraction, signing, paging."""
