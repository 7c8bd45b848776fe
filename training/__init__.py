"""Offline work: datasets, training, evaluation, reports. Imports ``service``; never imported by it."""
