"""The Gephi export along its flow: the store read (``snapshot``), the views made of it (``views``), values made
ready for XML (``prepare``), and the writers (``gexf``, ``graphml``); ``kg.export`` puts them together."""
