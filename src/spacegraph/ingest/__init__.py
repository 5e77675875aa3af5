"""Ingest: from source documents to records, from records to one named graph per source.

``roles`` reads role phrases; ``to_rdf`` turns records (``spacegraph.vocab.records``) into RDF; ``series_json``
reads the series fact file. Names as printed are split and matched to the graph's people and organisations by
``spacegraph.names``.
"""
