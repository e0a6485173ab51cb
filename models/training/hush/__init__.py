"""Hushscribe training recipe library: build-time only, never shipped to users."""
