"""Scale-out: read and extract many sources shard by shard, on a local process
pool or a Dask cluster, into Parquet files that ``ingest --from-batch`` loads.

shards (one per input file) → run_shard on each, in a worker process (local
pool or Dask task) → Parquet per shard, recorded in manifest.json by the
driver → ingest --from-batch replays the complete shards into the ledger.
"""

from tolltrack.batch.errors import BatchError
from tolltrack.batch.load import batch_items, missing_sources, open_batch
from tolltrack.batch.runner import BatchReport, run_batch
from tolltrack.batch.shards import Plan, Shard, plan
from tolltrack.batch.work import Job, ShardResult, run_shard

__all__ = ["BatchError", "BatchReport", "Job", "Plan", "Shard", "ShardResult", "batch_items",
           "missing_sources", "open_batch", "plan", "run_batch", "run_shard"]
