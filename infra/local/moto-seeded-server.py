# moto's server with the images in $BAKERY_MOTO_SEED_IMAGES (a JSON list in moto's amis.json shape) added to its
# default AMI catalogue, so a source_ami the repository's examples pin is one EC2 knows, in every region and again
# after every /moto-api/reset (moto rebuilds each region's images from that catalogue). MOTO_AMIS_PATH would replace
# the catalogue (and drop moto's per-region latest images); this only adds to it. Started by moto.sh.
import json
import os
import sys

from moto.ec2.models import amis
from moto.server import main

known = {image["ami_id"] for image in amis.AMIS}
amis.AMIS.extend(image for image in json.loads(os.environ["BAKERY_MOTO_SEED_IMAGES"]) if image["ami_id"] not in known)
sys.exit(main(sys.argv[1:]))
