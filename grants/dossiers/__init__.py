"""Dossiers: bilingual PDF application packs."""
