"""One-off: turns the research catalogue (service-catalogue.json) into the crate's vendored
catalogue, crates/vpcform-net/catalogue/aws-services.json. After this, the vendored file is the
source of truth: `cargo xtask catalogue` generates Rust from it and merges
`describe-vpc-endpoint-services` dumps into it."""
import json, pathlib

here = pathlib.Path(__file__).resolve().parent
research = json.loads((here.parent / 'service-catalogue.json').read_text())
out = here.parents[3] / 'crates/vpcform-net/catalogue/aws-services.json'

# CDK's getDefaultEndpointPrefix / getDefaultEndpointSuffix (aws/aws-cdk
# packages/aws-cdk-lib/aws-ec2/lib/vpc-endpoint.ts @000a9eb6dd93c8025d184934c66dee83868c8f28).
CN1 = ['application-autoscaling', 'appmesh-envoy-management', 'athena', 'autoscaling', 'awsconnector',
       'backup', 'batch', 'cassandra', 'cloudcontrolapi', 'cloudformation', 'codedeploy-commands-secure', 'databrew', 'dms',
       'ebs', 'ec2', 'ecr.api', 'ecr.dkr', 'eks', 'elasticache', 'elasticbeanstalk', 'elasticfilesystem',
       'elasticfilesystem-fips', 'emr-containers', 'execute-api', 'fsx', 'imagebuilder', 'iot.data', 'iotsitewise.api',
       'iotsitewise.data', 'kinesis-streams', 'lambda', 'license-manager', 'monitoring', 'rds', 'redshift', 'redshift-data',
       's3', 'sagemaker.api', 'sagemaker.featurestore-runtime', 'sagemaker.runtime', 'securityhub', 'servicecatalog',
       'sms', 'sqs', 'states', 'sts', 'sync-states', 'synthetics', 'transcribe', 'transcribestreaming', 'transfer', 'xray']
CNW1 = ['account', 'application-autoscaling', 'appmesh-envoy-management', 'athena', 'autoscaling', 'awsconnector',
        'backup', 'batch', 'cassandra', 'cloudcontrolapi', 'cloudformation', 'codedeploy-commands-secure', 'databrew', 'dms', 'ebs', 'ec2',
        'ecr.api', 'ecr.dkr', 'eks', 'elasticache', 'elasticbeanstalk', 'elasticfilesystem', 'elasticfilesystem-fips', 'emr-containers',
        'execute-api', 'fsx', 'imagebuilder', 'iot.data', 'kinesis-streams', 'lambda', 'license-manager', 'monitoring', 'polly', 'rds',
        'redshift', 'redshift-data', 's3', 'sagemaker.api', 'sagemaker.featurestore-runtime', 'sagemaker.runtime', 'securityhub',
        'servicecatalog', 'sms', 'sqs', 'states', 'sts', 'sync-states', 'synthetics', 'transcribe', 'transcribestreaming', 'transfer',
        'workspaces', 'xray']
REGIONAL = [
    dict(region='cn-north-1', prefix='cn.com.amazonaws', services=CN1, suffixed=['transcribe'], suffix='.cn'),
    dict(region='cn-northwest-1', prefix='cn.com.amazonaws', services=CNW1, suffixed=['transcribe'], suffix='.cn'),
    dict(region='eusc-de-east-1', prefix='eu.amazonaws', services=['ecr.dkr', 'ecr.api', 'execute-api', 'securityhub']),
    dict(region='us-iso-east-1', prefix='gov.ic.c2s', services=['application-autoscaling', 'athena', 'autoscaling', 'comprehend', 'diode-messaging',
        'diode-messaging-proxy', 'ebs', 'ec2', 'ecr.api', 'ecr.dkr', 'elasticfilesystem', 'elasticfilesystem-fips',
        'execute-api', 'sagemaker.api', 'sagemaker.runtime', 'sns', 'sqs', 'textract', 'textract-fips', 'transcribe', 'workspaces']),
    dict(region='us-iso-west-1', prefix='gov.ic.c2s', services=['autoscaling', 'ebs', 'ec2', 'ecr.api', 'ecr.dkr', 'elasticfilesystem', 'elasticfilesystem-fips',
        'execute-api', 'monitoring', 'sns', 'sqs', 'workspaces']),
    dict(region='us-isob-east-1', prefix='gov.sgov.sc2s', services=['application-autoscaling', 'autoscaling', 'diode-messaging', 'diode-messaging-proxy', 'ebs',
        'ec2', 'ecr.api', 'ecr.dkr', 'elasticfilesystem', 'elasticfilesystem-fips', 'execute-api', 'sagemaker.api',
        'sagemaker.runtime', 'sns', 'sqs', 'workspaces']),
    dict(region='us-isob-west-1', prefix='gov.sgov.sc2s', services=['ecr.api', 'ecr.dkr', 'elasticfilesystem-fips', 'execute-api']),
    dict(region='us-isof-south-1', prefix='gov.ic.hci.csp', services=['ebs', 'ecr.api', 'ecr.dkr', 'execute-api']),
    dict(region='us-isof-east-1', prefix='gov.ic.hci.csp', services=['ebs', 'ecr.api', 'ecr.dkr', 'execute-api']),
    dict(region='eu-isoe-west-1', prefix='uk.adc-e.cloud', services=['ebs', 'ecr.api', 'ecr.dkr', 'execute-api']),
]
for r in REGIONAL:
    r['services'] = sorted(r['services'])

services = []
for x in sorted(research['services'], key=lambda x: x['name']):
    e = dict(name=x['name'], prefix=x['prefix'])
    if x.get('global'):
        e['global'] = True
    e['constant'] = x['constant']
    if x.get('aws_service'):
        e['title'] = ' / '.join(x['aws_service'])
    e['kinds'] = x['kinds']
    for k in ('private_dns', 'ipv6', 'endpoint_policy'):
        e[k] = x[k]
    if x['name'] == 's3':
        # vpcform's choice, not AWS's: the free gateway endpoint is the usual path from inside
        # the VPC, so an S3 interface endpoint's private DNS is off unless asked for.
        e['private_dns_default'] = False
    if x.get('fips'):
        e['fips'] = True
    if x.get('port'):
        e['port'] = x['port']
    if x.get('cross_region'):
        e['cross_region'] = True
    e['sources'] = x['sources']
    if x.get('cdk_constant'):
        e['cdk_constant'] = x['cdk_constant']
    if x.get('notes'):
        e['notes'] = x['notes']
    services.append(e)

doc = {
    'source': research['source'],
    'retrieved': research['retrieved'],
    'schema': {
        'name': 'the service part of the endpoint service name: <prefix>.<region>.<name>, or <prefix>.<name> when global',
        'private_dns / ipv6 / endpoint_policy': 'true or false only where a cited source says so (docs/research/service-catalogue/service-catalogue.md); null = unknown',
        'private_dns': 'the interface endpoint service has a private DNS name; unknown is treated as yes (CDK treats every AWS service so)',
        'ipv6': 'the interface endpoint service accepts IPv6 (SupportedIpAddressTypes contains ipv6)',
        'endpoint_policy': 'VpcEndpointPolicySupported',
        'private_dns_default': "vpcform's default for PrivateDnsEnabled when it differs from private_dns",
        'regional_prefixes': "CDK's exceptions: in <region>, <services> are named <prefix>.<region>.<name>[<suffix> for <suffixed>]",
        'sources': 'cdk | aws-doc | aws-doc-example | aws-doc-dax | dump:<region>:<date> (cargo xtask catalogue --from-dump)',
    },
    'regional_prefixes': REGIONAL,
    'services': services,
}
out.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + '\n')
print(out, len(services))
