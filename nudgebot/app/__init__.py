"""Wiring: builds the store, engine, adapters and the one web server, and runs them."""
