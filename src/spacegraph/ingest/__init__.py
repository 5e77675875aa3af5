"""Ingest: from source documents to records, from records to one named graph per source.

``records`` holds the plain records every reader produces; ``roles`` reads role phrases; ``resolve`` maps names
as printed to canonical people and organisations; ``to_rdf`` turns records into RDF; ``series_json`` reads the
series fact file.
"""
