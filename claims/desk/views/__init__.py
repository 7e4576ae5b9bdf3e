"""The desk's views, a module per page: access, one service or selector, a response."""
