"""The ontology and the SHACL shapes, installed as the package data of ``kg._ontology`` (see kg/resources.py)."""
