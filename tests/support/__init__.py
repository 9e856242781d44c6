"""Helpers for the reliability tests (hostile corpora, load clients)."""
