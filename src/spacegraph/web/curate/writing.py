"""The write path in a curator's name: every change made in the browser is attributed to the signed-in curator."""

from __future__ import annotations

from dataclasses import replace

from spacegraph.settings import Settings
from spacegraph.store.writers import OnNewVersion
from spacegraph.validation.report import ValidationReport
from spacegraph.write import Agent, GraphChange, Writer


class CuratorWriter(Writer):
    """A ``Writer`` whose every change is checked and committed as made by ``agent`` (the curator), whichever
    agent the library call that made it names (``spacegraph review``'s ``decide`` names the command): the graph's
    ``prov:wasAttributedTo`` and its history record name the curator."""

    def __init__(self, settings: Settings, agent: Agent):
        super().__init__(settings)
        self.agent = agent

    def __enter__(self) -> CuratorWriter:
        super().__enter__()
        return self

    def check(self, change: GraphChange) -> ValidationReport:
        return super().check(replace(change, by=self.agent))

    def commit(self, change: GraphChange, on_new_version: OnNewVersion | None = None) -> None:
        super().commit(replace(change, by=self.agent), on_new_version)
