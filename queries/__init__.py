"""The named queries, installed as the package data of ``kg._queries`` (see kg/resources.py)."""
