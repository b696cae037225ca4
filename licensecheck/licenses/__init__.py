"""Licences: the SPDX adapter, the normalizer, the knowledge base (and its data) and obligations."""
