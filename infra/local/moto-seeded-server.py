# moto's server with the images in $BAKERY_MOTO_SEED_IMAGES (a JSON list in moto's amis.json shape) added to its
# default AMI catalogue, so a source_ami the repository's examples pin is one EC2 knows, in every region and again
# after every /moto-api/reset (moto rebuilds each region's images from that catalogue). MOTO_AMIS_PATH would replace
# the catalogue (and drop moto's per-region latest images); this only adds to it. Started by moto.sh.
#
# It also spares moto CPU it spends at start, on every request, on the catalogue or at a reset (docs/benchmarks.md,
# sections 10h and 10l), each change applied only where this moto has what it replaces:
# - EC2's region table is read through one boto3 session instead of three (each loaded the same bundled files);
# - the names of moto's service folders (listed from disk with a stat of each, ~1 ms, on every request) and the
#   method names of each response class (inspect.getmembers on every request) are read once;
# - an EC2 resource reads its own entry of moto's tag table instead of running DescribeTags' resource-id filter (a
#   regular expression tried on every tagged resource) once per resource a tag filter looks at;
# - DescribeSnapshots honours OwnerIds ("self" or account ids) as EC2 does; moto ignored it and answered every
#   snapshot, the catalogue's ~1,200 (one per image) included, which cost 0.1-0.7 CPU-s per call;
# - a reset drops every backend without first building each one again in place (EC2's with its whole catalogue).
import json
import os
import sys
import threading

import boto3.session

# Before moto's EC2 models are imported: their region table asks three new boto3 sessions for EC2's regions, and each
# session loads botocore's endpoint table and EC2's whole service model again (~0.4 of the ~2.9 CPU-s a start took).
# A region list comes from those bundled files, the same whichever session reads them: one session reads them once.
list_regions = boto3.session.Session.get_available_regions
region_session = []


def get_available_regions(session, service_name, partition_name="aws", allow_non_regional=False):
    if not region_session:
        region_session.append(boto3.session.Session())
    return list_regions(region_session[0], service_name, partition_name, allow_non_regional)


boto3.session.Session.get_available_regions = get_available_regions

from moto import backends
from moto.core import responses
from moto.core.base_backend import BackendDict, BaseBackend
from moto.ec2.models import amis, core
from moto.ec2.responses.elastic_block_store import ElasticBlockStore
from moto.ec2.utils import EC2_PREFIX_TO_RESOURCE, get_prefix
from moto.server import main

known = {image["ami_id"] for image in amis.AMIS}
amis.AMIS.extend(image for image in json.loads(os.environ["BAKERY_MOTO_SEED_IMAGES"]) if image["ami_id"] not in known)

moto_modules = tuple(backends.list_of_moto_modules())
backends.list_of_moto_modules = lambda: moto_modules

method_names_of = {}
list_method_names = responses.method_names_from_class


def method_names(response_class):
    names = method_names_of.get(response_class)
    if names is None:
        names = method_names_of[response_class] = frozenset(list_method_names(response_class))
    return names


responses.method_names_from_class = method_names


def own_tags(resource):
    """What TaggedEC2Resource.get_tags answers (DescribeTags' items for this id, in the table's order)."""
    if not resource.id:
        return []
    tags = resource.ec2_backend.tags.get(resource.id) or {}
    kind = EC2_PREFIX_TO_RESOURCE.get(get_prefix(resource.id), "")
    return [{"resource_id": resource.id, "key": key, "value": value, "resource_type": kind} for key, value in list(tags.items())]


if isinstance(getattr(core.TaggedEC2Resource, "get_tags", None), type(own_tags)):
    core.TaggedEC2Resource.get_tags = own_tags

describe_all_snapshots = ElasticBlockStore.describe_snapshots


def describe_snapshots(response):
    """DescribeSnapshots with OwnerIds ("self" or account ids) as an owner-id filter, read before any other filter."""
    owners = response._get_param("OwnerIds", [])
    if not owners and hasattr(response, "_get_multi_param"):
        owners = response._get_multi_param("Owner")  # moto 5.1 (Debian's) reads query parameters by their wire names
    if not owners or not all(owner == "self" or owner.isdigit() for owner in owners):
        return describe_all_snapshots(response)
    owner_ids = [response.current_account if owner == "self" else owner for owner in owners]
    read_filters = response._filters_from_querystring
    response._filters_from_querystring = lambda: {"owner-id": owner_ids, **read_filters()}
    try:
        return describe_all_snapshots(response)
    finally:
        del response._filters_from_querystring


if hasattr(ElasticBlockStore, "_get_param") and hasattr(ElasticBlockStore, "_filters_from_querystring"):
    ElasticBlockStore.describe_snapshots = describe_snapshots

# /moto-api/reset: BackendDict.reset resets every region's backend in place (BaseBackend.reset runs __init__ again,
# which for EC2 builds the whole image catalogue, 0.05-0.4 CPU-s a region) and then drops them all; the next request
# builds a new one. While it runs, the base reset leaves a backend that is about to be dropped as it is; a service's
# own reset (S3 closes its objects' files) still runs.
dropping = threading.local()
rebuild_backend = BaseBackend.reset
reset_all_backends = BackendDict.reset


def reset_backend(backend):
    if not getattr(dropping, "all", False):
        rebuild_backend(backend)


def reset_and_drop_all_backends(cls):
    dropping.all = True
    try:
        reset_all_backends()
    finally:
        dropping.all = False


if hasattr(BaseBackend, "reset") and isinstance(BackendDict.__dict__.get("reset"), classmethod):
    BaseBackend.reset = reset_backend
    BackendDict.reset = classmethod(reset_and_drop_all_backends)

sys.exit(main(sys.argv[1:]))
