"""Writing: the one path by which a change reaches data/ and the store (build, ingest, review, plan, the web).

* ``spacegraph.write.pipeline``: ``Writer`` (a session: the writer lock, recovery once, ``check``, ``commit``,
  ``rebuild``), ``write_graph`` (all of it in one call), ``GraphChange``, ``Agent`` (who made a change),
  ``WriteRejected``;
* ``spacegraph.write.journal``: the journaled commit of one named graph and its files, and crash recovery.
"""

from spacegraph.write.journal import FileChange
from spacegraph.write.pipeline import Agent, GraphChange, Writer, WriteRejected, write_graph

__all__ = ["Agent", "FileChange", "GraphChange", "WriteRejected", "Writer", "write_graph"]
