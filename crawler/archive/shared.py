"""One backfill shared by several processes and machines, through Redis.

The unit of work is a WARC file. The first process of a backfill puts its files
in a Redis list; every process takes one at a time with ``LMOVE`` from that list
to its own in-flight list, in one atomic step, so a file is always in the queue or
held by exactly one process, never in neither. A process removes a file from its
in-flight list only once the file is recorded done (or failed) in the database.

Each process refreshes its heartbeat key; when a heartbeat expires (the process
was killed, or its machine went away), any other process moves the dead one's
in-flight files back to the head of the queue, in one script. Whoever takes such a
file goes on from the offset the database recorded for it (``backfill_files``), so
nothing is read twice but the records after the last checkpoint, whose pages are then
found stored. A process ends when the queue is empty and no live process holds a file
(one script reads both); the last one out deletes the backfill's keys.

As with crawls (crawler/runs/distributed.py), the queue is in Redis and everything
a process decides with is in the shared database: a Redis that lost its data loses
the queue, and starting the backfill again goes on from what the database says.

A backfill is named by what it reads (the sorted list of its files, and which
records it keeps), so every process started with the same arguments, on any
machine, joins the same one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import redis

from crawler.runs.distributed import redis_client, worker_id
from crawler.store.db import redact

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
DEAD_AFTER_BEATS = 3  # a heartbeat silent this many periods: the process is dead
KEYS_TTL_SECONDS = 7 * 24 * 3600  # an abandoned backfill's keys

T = TypeVar("T")

# KEYS seeded, queue, workers, started; ARGV keys ttl, now, sources...
# The first process puts the files in the queue; later ones find it seeded. 1: this one seeded.
_SEED = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  for i = 3, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
  redis.call('SET', KEYS[4], ARGV[2], 'EX', ARGV[1])
  redis.call('EXPIRE', KEYS[2], ARGV[1])
  return 1
end
return 0
"""

# KEYS workers, queue; ARGV heartbeat prefix, in-flight prefix, me
# Files held by processes whose heartbeat expired go back to the head of the queue.
_REQUEUE = """
local moved = 0
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if name ~= ARGV[3] and redis.call('EXISTS', ARGV[1] .. name) == 0 then
    local held = ARGV[2] .. name
    local file = redis.call('RPOP', held)
    while file do
      redis.call('LPUSH', KEYS[2], file)
      moved = moved + 1
      file = redis.call('RPOP', held)
    end
    redis.call('DEL', held)
    redis.call('SREM', KEYS[1], name)
  end
end
return moved
"""

# KEYS workers, queue, seeded, started; ARGV heartbeat prefix, in-flight prefix, me
# {queued, held by live others}; when both are 0 and this process holds nothing, the
# backfill is over: its keys go (the last one out).
_STATE = """
local held = 0
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if name ~= ARGV[3] then held = held + redis.call('LLEN', ARGV[2] .. name) end
end
local queued = redis.call('LLEN', KEYS[2])
local mine = redis.call('LLEN', ARGV[2] .. ARGV[3])
if queued == 0 and held == 0 and mine == 0 then
  for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    redis.call('DEL', ARGV[1] .. name, ARGV[2] .. name)
  end
  redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
end
return {queued, held}
"""


def backfill_id(sources: Sequence[str], scope: str) -> str:
    """The backfill these files and this scope make: the same on every machine."""
    digest = hashlib.sha256("\n".join([scope, *sorted(set(sources))]).encode()).hexdigest()
    return digest[:16]


class SharedQueue:
    """The Redis side of a shared backfill: seed, take, finish, and see the others die."""

    def __init__(
        self,
        url: str,
        name: str,
        *,
        heartbeat: float = HEARTBEAT_SECONDS,
        timeout: float = 60.0,
        client: redis.Redis | None = None,
    ) -> None:
        self.url = url
        self.client = client or redis_client(url)
        self.me = worker_id()
        self.heartbeat = heartbeat
        self.timeout = timeout  # seconds Redis may not answer before the backfill fails
        prefix = f"backfill:{name}"
        self.keys = {
            "seeded": f"{prefix}:seeded",
            "queue": f"{prefix}:queue",
            "workers": f"{prefix}:workers",
            "started": f"{prefix}:started",
            "heartbeat": f"{prefix}:worker:",
            "inflight": f"{prefix}:inflight:",
        }
        self.description = f"Redis {redact(url)}, keys {prefix}:*"
        self._seed = self.client.register_script(_SEED)
        self._requeue = self.client.register_script(_REQUEUE)
        self._state = self.client.register_script(_STATE)

    @property
    def mine(self) -> str:
        return self.keys["inflight"] + self.me

    def _retry(self, step: Callable[[], T]) -> T:
        """One Redis step, tried again while Redis does not answer, for up to ``timeout`` s."""
        deadline = time.monotonic() + self.timeout
        delay = 0.5
        while True:
            try:
                return step()
            except (redis.ConnectionError, redis.TimeoutError) as error:
                if time.monotonic() >= deadline:
                    raise
                logger.warning("Redis does not answer (%s): trying again in %.1f s", error, delay)
                time.sleep(delay)
                delay = min(delay * 2, 5.0)

    def beat(self) -> None:
        """This process is alive (and, first time, a member of the backfill)."""
        ttl = max(1, round(self.heartbeat * DEAD_AFTER_BEATS))

        def step() -> None:
            pipe = self.client.pipeline()
            pipe.set(self.keys["heartbeat"] + self.me, "alive", ex=ttl)
            pipe.sadd(self.keys["workers"], self.me)
            pipe.expire(self.keys["workers"], KEYS_TTL_SECONDS)
            pipe.expire(self.mine, KEYS_TTL_SECONDS)
            pipe.execute()

        self._retry(step)

    def seed(self, sources: Sequence[str], now: str) -> bool:
        """Queue the files, unless another process of this backfill did: True if this one did."""
        self.beat()
        keys = [self.keys["seeded"], self.keys["queue"], self.keys["workers"], self.keys["started"]]
        seeded = self._retry(lambda: self._seed(keys=keys, args=[KEYS_TTL_SECONDS, now, *sources]))
        return bool(seeded)

    def started(self) -> str:
        """When the backfill was seeded (ISO 8601), as the first process wrote it."""
        value: Any = self._retry(lambda: self.client.get(self.keys["started"]))
        return value.decode() if isinstance(value, bytes) else str(value or "")

    def held(self) -> list[str]:
        """Files this process holds (after a restart with the same worker name: none)."""
        values: Any = self._retry(lambda: self.client.lrange(self.mine, 0, -1))
        return [v.decode() if isinstance(v, bytes) else str(v) for v in values]

    def take(self) -> str | None:
        """The next file, now held by this process; None when the queue is empty."""
        self.requeue_dead()
        value: Any = self._retry(lambda: self.client.lmove(self.keys["queue"], self.mine, "LEFT", "RIGHT"))
        if value is None:
            return None
        return value.decode() if isinstance(value, bytes) else str(value)

    def finish(self, source: str) -> None:
        """The file is recorded done or failed in the database: it leaves this process's hands."""
        self._retry(lambda: self.client.lrem(self.mine, 1, source))

    def requeue_dead(self) -> int:
        """Put back the files of processes whose heartbeat stopped; how many."""
        keys = [self.keys["workers"], self.keys["queue"]]
        args = [self.keys["heartbeat"], self.keys["inflight"], self.me]
        moved = int(self._retry(lambda: self._requeue(keys=keys, args=args)))
        if moved:
            logger.warning("Took back %d WARC file(s) from a backfill process that stopped", moved)
        return moved

    def others_busy(self) -> bool:
        """Is any file queued or held by another live process? When not (and this one holds
        none), the backfill is over and its keys are deleted."""
        self.requeue_dead()
        keys = [self.keys["workers"], self.keys["queue"], self.keys["seeded"], self.keys["started"]]
        args = [self.keys["heartbeat"], self.keys["inflight"], self.me]
        queued, held = self._retry(lambda: self._state(keys=keys, args=args))
        return bool(int(queued) or int(held))

    def leave(self) -> None:
        """This process stops (its files stay in its in-flight list for others to take back)."""
        with contextlib.suppress(redis.RedisError):  # the heartbeat expires by itself
            self.client.delete(self.keys["heartbeat"] + self.me)
        self.client.close()
