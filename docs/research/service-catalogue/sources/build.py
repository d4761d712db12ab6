#!/usr/bin/env python3
"""Builds /work/research/service-catalogue.json from the transcribed sources in this folder.
Every boolean is set only from an entry in EVIDENCE below; see service-catalogue.md for the sources."""
import json, re, collections

SRC = '/work/research/catalogue-src/'
DEF = 'com.amazonaws'

# ---------------------------------------------------------------- CDK
cdk = []  # (constant, name, prefix, port, flags)
for line in open(SRC + 'cdk-constants.txt'):
    if line.startswith('#') or not line.strip():
        continue
    const, name, prefix, port, flags = line.rstrip('\n').split('|')
    cdk.append((const, name, prefix or DEF, int(port) if port else None, set(filter(None, flags.split(',')))))

# ---------------------------------------------------------------- AWS PrivateLink table (2026 guide)
def split_full(full):
    """'com.amazonaws.region.ecr.api' -> ('com.amazonaws', 'ecr.api', regional?)."""
    for pfx in ('aws.api.region', 'aws.api.us-east-2', 'aws.sagemaker.region', 'com.amazonaws.region', 'api.aws.region'):
        if full.startswith(pfx + '.'):
            return pfx.rsplit('.', 1)[0] if pfx.endswith(('.region', '.us-east-2')) else pfx, full[len(pfx) + 1:], True
    if full.startswith('com.amazonaws.'):
        return DEF, full[len('com.amazonaws.'):], False   # global: no region part
    raise ValueError(full)

table = []  # (label, prefix, name, regional)
for line in open(SRC + 'aws-privatelink-table.txt'):
    if line.startswith('#') or not line.strip():
        continue
    label, full = line.rstrip('\n').split('|')
    p, n, regional = split_full(full)
    table.append((label, p, n, regional))

# The table prints these two as com.amazonaws.region.*, but the guide's own CLI output (and CDK for freetier)
# show them under aws.api; use the CLI form (see service-catalogue.md, "prefix conflicts").
PREFIX_FIX = {('com.amazonaws', 'freetier'): 'aws.api',
              ('com.amazonaws', 'resource-explorer-2'): 'aws.api',
              ('com.amazonaws', 'resource-explorer-2-fips'): 'aws.api'}

# ---------------------------------------------------------------- entries
E = collections.OrderedDict()   # key (prefix, name) -> dict
def entry(prefix, name):
    k = (prefix, name)
    if k not in E:
        E[k] = dict(name=name, prefix=prefix, constant=None, cdk_constant=None, cdk_constants_all=[],
                    kinds=[], private_dns=None, ipv6=None, endpoint_policy=None, sources=[],
                    aws_doc_labels=[], global_=False, port=None, cdk_deprecated_only=False, notes=[],
                    evidence={}, inferred={}, cross_region=None)
    return E[k]

def add_src(e, s):
    if s not in e['sources']:
        e['sources'].append(s)
def add_kind(e, k):
    if k not in e['kinds']:
        e['kinds'].append(k)

for const, name, prefix, port, flags in cdk:
    e = entry(prefix, name)
    e['cdk_constants_all'].append(const + (' (deprecated)' if 'deprecated' in flags else ''))
    if 'deprecated' not in flags and e['cdk_constant'] is None:
        e['cdk_constant'] = const
    if 'global' in flags:
        e['global_'] = True
    if port:
        e['port'] = port
    add_kind(e, 'Interface'); add_src(e, 'cdk')
for e in E.values():   # entries only reachable through deprecated constants
    if e['cdk_constant'] is None and e['cdk_constants_all']:
        e['cdk_constant'] = e['cdk_constants_all'][0].replace(' (deprecated)', '')
        e['cdk_deprecated_only'] = True

for gname in ('dynamodb', 's3', 's3express'):          # GatewayVpcEndpointAwsService
    e = entry(DEF, gname); add_kind(e, 'Gateway'); add_src(e, 'cdk')
    e['cdk_gateway_constant'] = {'dynamodb': 'DYNAMODB', 's3': 'S3', 's3express': 'S3_EXPRESS'}[gname]

for label, p, n, regional in table:
    p = PREFIX_FIX.get((p, n), p)
    e = entry(p, n)
    add_kind(e, 'Interface'); add_src(e, 'aws-doc')
    if label not in e['aws_doc_labels']:
        e['aws_doc_labels'].append(label)
    if not regional:
        e['global_'] = True
for n in ('s3', 'dynamodb', 's3express'):   # PrivateLink guide, "Gateway endpoints" chapter
    e = entry(DEF, n); add_kind(e, 'Gateway'); add_src(e, 'aws-doc')

# services named only in the guide's CLI examples / other AWS pages
def extra(prefix, name, src, note):
    e = entry(prefix, name); add_kind(e, 'Interface'); add_src(e, src); e['notes'].append(note); return e
extra('api.aws', 'cassandra-streams', 'aws-doc-example', 'Named only in the PrivateLink Guide CLI examples (api.aws.us-east-1.cassandra-streams); Amazon Keyspaces CDC streams.')
extra('aws.api', 'emr-service-cell01', 'aws-doc-example', 'Named only in the PrivateLink Guide CLI examples (aws.api.us-east-1.emr-service-cell01); purpose not documented there.')
extra(DEF, 'ecs-fips', 'aws-doc-example', 'Named only in the PrivateLink Guide cross-Region CLI example (com.amazonaws.us-west-2.ecs-fips).')
extra(DEF, 'dax', 'aws-doc-dax', 'DynamoDB Accelerator (DAX) management APIs; service name com.amazonaws.region.dax from the DAX developer guide (dax-private-link).')

# ---------------------------------------------------------------- evidence
# kind of evidence -> citation key (expanded in the .md)
EV = collections.defaultdict(dict)
def ev(prefix, name, field, value, cite):
    k = (prefix, name)
    assert k in E, k
    EV[k].setdefault(field, []).append((value, cite))

G26 = 'aws-privatelink-guide-2026'     # PDF text, examples in "View information about a service" etc.
# -- PrivateLink Guide 2026: describe-vpc-endpoint-services example for monitoring
ev(DEF, 'monitoring', 'private_dns', True, G26 + ':monitoring-example')
ev(DEF, 'monitoring', 'ipv6', True, G26 + ':monitoring-example')
ev(DEF, 'monitoring', 'endpoint_policy', True, G26 + ':monitoring-example')
ev(DEF, 's3', 'endpoint_policy', True, G26 + ':s3-policy-example')
ev(DEF, 's3', 'private_dns', True, G26 + ':s3-private-dns-section')
# -- "lists the AWS services that support endpoint policies" (head of output)
for p, n in [('api.aws', 'cassandra-streams'), ('aws.api', 'bcm-data-exports'), ('aws.api', 'emr-service-cell01'),
             ('aws.api', 'freetier'), ('aws.api', 'kendra-ranking'), (DEF, 'xray')]:
    ev(p, n, 'endpoint_policy', True, G26 + ':policy-true-list')
for n in ['appmesh-envoy-management', 'apprunner.requests', 'appstream.api', 'appstream.streaming', 'awsconnector', 'transfer.server']:
    ev(DEF, n, 'endpoint_policy', False, G26 + ':policy-false-list')
# -- "view the AWS services that you can access over IPv6" (head of output)
for p, n in [('api.aws', 'cassandra-streams'), ('aws.api', 'bcm-data-exports'), ('aws.api', 'freetier'),
             ('aws.api', 'kendra-ranking'), ('aws.api', 'qbusiness'), ('aws.api', 'resource-explorer-2'),
             ('aws.api', 'resource-explorer-2-fips'), ('aws.sagemaker', 'experiments'), ('aws.sagemaker', 'partner-app'),
             (DEF, 'iam'), (DEF, 'access-analyzer'), (DEF, 'account'), (DEF, 'xray')]:
    ev(p, n, 'ipv6', True, G26 + ':ipv6-list')

# -- Tracebit blog 2024-07-22 (describe-vpc-endpoint-services, us-east-1, VpcEndpointPolicySupported==true)
TB = 'tracebit-2024'
for p, n in [('aws.api', 'bcm-data-exports'), ('aws.api', 'freetier'), ('aws.api', 'kendra-ranking'), ('aws.api', 'qbusiness'),
             ('aws.sagemaker', 'notebook'), (DEF, 'vpc-lattice'), (DEF, 'wisdom'), (DEF, 'workflows-omics'),
             (DEF, 'workspaces'), (DEF, 'xray'), (DEF, 'polly'), (DEF, 'events')]:
    ev(p, n, 'endpoint_policy', True, TB)

# -- awsdocs/amazon-vpc-user-guide integrated-services-vpce-list.md ("Supports VPC endpoint policies" = Yes)
#    Only "Yes" rows are used (support is not withdrawn); old "No" rows are stale for several services.
OLD = 'vpc-guide-legacy-table'
old_yes = {
 'execute-api', 'application-autoscaling', 'athena', 'rds', 'autoscaling-plans', 'acm-pca', 'clouddirectory',
 'monitoring', 'events', 'logs', 'codeartifact.api', 'codeartifact.repositories', 'codebuild', 'codecommit',
 'git-codecommit', 'codedeploy', 'comprehend', 'dataexchange', 'ec2', 'imagebuilder', 'autoscaling',
 'elasticbeanstalk', 'elasticfilesystem', 'elasticloadbalancing', 'ecr.api', 'ecr.dkr', 'ecs', 'elasticmapreduce',
 'frauddetector', 'kendra', 'kms', 'cassandra', 'kinesis-firehose', 'kinesis-streams', 'lambda', 'license-manager',
 'qldb.session', 'rds-data', 'redshift', 'rekognition', 'sagemaker.api', 'sagemaker.runtime', 'secretsmanager',
 'sts', 'sns', 'sqs', 'states', 'transcribe'}
for n in sorted(old_yes):
    ev(DEF, n, 'endpoint_policy', True, OLD)
ev('aws.sagemaker', 'notebook', 'endpoint_policy', True, OLD)

# -- DynamoDB / DAX / S3-on-Outposts private DNS
ev(DEF, 'dynamodb-streams', 'private_dns', False, 'ddb-streams-doc')
ev(DEF, 'dynamodb', 'private_dns', False, 'cdk-pr-30162')
ev(DEF, 'dynamodb', 'private_dns', False, 'thirdparty-2026-onprem')
ev(DEF, 's3-outposts', 'private_dns', False, 'thirdparty-2026-onprem')
ev(DEF, 'dax', 'private_dns', True, 'dax-doc')
ev(DEF, 'dax', 'ipv6', True, 'dax-doc')

# -- "AWS services that support IPv6" table, column "Private endpoints support IPv6" (copy from late 2025)
IP6 = 'ipv6-services-table'
parsed = json.load(open(SRC + 'ipv6-table-parsed.json'))
rows = {n: v for n, v in parsed}
ROWMAP = {  # IPv6-table row label -> service names (com.amazonaws unless prefixed 'p:')
 'Amazon API Gateway': ['execute-api', 'apigateway'],
 'AWS App Mesh': ['appmesh', 'appmesh-envoy-management'],
 'AWS App Runner': ['apprunner', 'apprunner.requests'],
 'AWS AppConfig': ['appconfig', 'appconfigdata'],
 'Application Auto Scaling': ['application-autoscaling'],
 'AWS Application Discovery Service': ['discovery', 'arsenal-discovery'],
 'Amazon WorkSpaces Applications': ['appstream.api', 'appstream.streaming'],
 'AWS AppSync2': ['appsync-api'],
 'Amazon Athena': ['athena'],
 'AWS Audit Manager': ['auditmanager'],
 'Amazon Aurora DSQL': ['dsql'],
 'AWS Auto Scaling': ['autoscaling-plans'],
 'AWS B2B Data Interchange': ['b2bi'],
 'AWS Backup': ['backup', 'backup-gateway'],
 'AWS Batch': ['batch'],
 'Amazon Bedrock': ['bedrock', 'bedrock-agent', 'bedrock-agent-runtime', 'bedrock-data-automation',
                    'bedrock-data-automation-runtime', 'bedrock-runtime'],
 'AWS Billing and Cost Management Data Exports': ['aws.api:bcm-data-exports'],
 'AWS Billing and Cost Management Pricing Calculator': ['bcm-pricing-calculator'],
 'AWS Billing Conductor': ['billingconductor'],
 'Amazon Braket': ['braket'],
 'AWS Certificate Manager': ['acm'],
 'Amazon Comprehend': ['comprehend'],
 'AWS Clean Rooms': ['cleanrooms'],
 'AWS Clean Rooms ML': ['cleanrooms-ml'],
 'AWS Cloud Control API': ['cloudcontrolapi'],
 'CloudFormation': ['cloudformation'],
 'AWS CloudHSM': ['cloudhsmv2'],
 'AWS CloudTrail': ['cloudtrail'],
 'Amazon CloudWatch': ['monitoring'],
 'Amazon CloudWatch Application Insights': ['applicationinsights'],
 'Amazon CloudWatch Internet Monitor': ['internetmonitor'],
 'Amazon CloudWatch Logs': ['logs'],
 'Amazon CloudWatch Synthetics': ['synthetics'],
 'AWS Cloud Map': ['servicediscovery', 'data-servicediscovery'],
 'AWS Cloud WAN': ['networkmanager'],
 'AWS Network Manager': ['networkmanager'],
 'AWS CodeArtifact': ['codeartifact.api', 'codeartifact.repositories'],
 'Amazon Connect Customer Profiles': ['profile'],
 'AWS CodeBuild': ['codebuild'],
 'AWS CodeCommit': ['codecommit', 'git-codecommit'],
 'AWS CodeDeploy': ['codedeploy', 'codedeploy-commands-secure'],
 'AWS Compute Optimizer': ['compute-optimizer'],
 'Amazon Comprehend Medical': ['comprehendmedical'],
 'Amazon CodeGuru Profiler': ['codeguru-profiler'],
 'AWS Config': ['config'],
 'AWS Control Tower': ['controltower'],
 'AWS Cost Explorer': ['ce'],
 'AWS Cost Optimization Hub': ['cost-optimization-hub'],
 'AWS Data Exchange': ['dataexchange'],
 'Amazon Data Firehose': ['kinesis-firehose'],
 'Amazon Data Lifecycle Manager': ['dlm'],
 'AWS Database Migration Service': ['dms'],
 'AWS DataSync': ['datasync'],
 'Amazon DataZone': ['datazone'],
 'AWS Deadline Cloud': ['deadline.management', 'deadline.scheduling'],
 'Direct Connect': ['directconnect'],
 'Directory Service': ['ds', 'ds-data'],
 'Amazon EBS direct APIs': ['ebs'],
 'Amazon EC2': ['ec2'],
 'EC2 Image Builder': ['imagebuilder'],
 'Amazon ECR': ['ecr.api', 'ecr.dkr'],
 'Amazon ECS': ['ecs', 'ecs-agent', 'ecs-telemetry'],
 'Amazon EFS': ['elasticfilesystem'],
 'Amazon EKS': ['eks', 'eks-auth'],
 'Amazon EMR': ['elasticmapreduce'],
 'AWS Elastic Beanstalk': ['elasticbeanstalk', 'elasticbeanstalk-health'],
 'AWS Elastic Disaster Recovery': ['drs'],
 'Elastic Load Balancing': ['elasticloadbalancing'],
 'Amazon ElastiCache': ['elasticache'],
 'AWS Elemental MediaConvert': ['mediaconvert'],
 'AWS End User Messaging Social': ['social-messaging'],
 'AWS Entity Resolution': ['entityresolution'],
 'Amazon EventBridge': ['events'],
 'Amazon FSx': ['fsx'],
 'Amazon GameLift Streams': ['gameliftstreams'],
 'AWS Glue': ['glue'],
 'AWS Glue DataBrew': ['databrew'],
 'Amazon Managed Grafana 3': ['grafana'],
 'AWS Ground Station 4': ['groundstation'],
 'Amazon GuardDuty': ['guardduty', 'guardduty-data'],
 'AWS HealthImaging': ['medical-imaging', 'runtime-medical-imaging', 'dicom-medical-imaging'],
 'AWS HealthLake': ['healthlake'],
 'AWS HealthOmics': ['analytics-omics', 'control-storage-omics', 'storage-omics', 'tags-omics', 'workflows-omics'],
 'AWS Identity and Access Management (IAM)': ['iam'],
 'AWS IAM Access Analyzer': ['access-analyzer'],
 'AWS IAM Roles Anywhere': ['rolesanywhere'],
 'Amazon Inspector': ['inspector2', 'inspector-scan'],
 'AWS IoT Core': ['iot.api', 'iot.data', 'iot.credentials'],
 'AWS IoT Device Management': ['iot.tunneling.api', 'iot.tunneling.data'],
 'AWS IoT FleetWise': ['iotfleetwise'],
 'AWS IoT Greengrass': ['greengrass'],
 'AWS IoT SiteWise': ['iotsitewise.api', 'iotsitewise.data'],
 'AWS IoT TwinMaker': ['iottwinmaker.api', 'iottwinmaker.data'],
 'AWS IoT Wireless': ['iotwireless.api', 'lorawan.cups', 'lorawan.lns'],
 'Amazon Kendra': ['kendra'],
 'AWS Key Management Service': ['kms'],
 'Amazon Keyspaces': ['cassandra'],
 'Amazon Keyspaces CDC streams': ['api.aws:cassandra-streams'],
 'Amazon Kinesis Data Streams': ['kinesis-streams'],
 'AWS Lake Formation': ['lakeformation'],
 'AWS Lambda': ['lambda'],
 'AWS Launch Wizard': ['launchwizard'],
 'AWS License Manager': ['license-manager', 'license-manager-linux-subscriptions', 'license-manager-user-subscriptions'],
 'Amazon Lightsail': ['lightsail'],
 'Amazon Location Service': ['geo.maps', 'geo.places', 'geo.routes', 'geo.geofencing', 'geo.tracking', 'geo.metadata'],
 'Amazon MQ': ['mq'],
 'Amazon MWAA': ['airflow.api', 'airflow.env', 'airflow.ops'],
 'Amazon Macie': ['macie2'],
 'AWS Mainframe Modernization': ['m2', 'apptest'],
 'Amazon Managed Service for Prometheus': ['aps', 'aps-workspaces'],
 'AWS Migration Hub Orchestrator': ['migrationhub-orchestrator'],
 'AWS Network Firewall': ['network-firewall'],
 'AWS Organizations': ['organizations'],
 'AWS Outposts': ['outposts'],
 'Amazon Personalize': ['personalize', 'personalize-events', 'personalize-runtime'],
 'Amazon Pinpoint': ['pinpoint', 'pinpoint-sms-voice-v2'],
 'Amazon Polly': ['polly'],
 'AWS Price List': ['pricing.api'],
 'AWS Private Certificate Authority': ['acm-pca'],
 'AWS Private CA Connector for Active Directory': ['pca-connector-ad'],
 'AWS Private CA Connector for SCEP': ['pca-connector-scep'],
 'Amazon Q Business': ['aws.api:qbusiness'],
 'Amazon RDS': ['rds'],
 'Amazon Aurora': ['rds'],
 'Amazon RDS Data API': ['rds-data'],
 'Amazon RDS Performance Insights': ['pi'],
 'Amazon Rekognition': ['rekognition', 'streaming-rekognition'],
 'Recycle Bin': ['rbin'],
 'AWS re:Post Private': ['repostspace'],
 'AWS Resource Access Manager': ['ram'],
 'AWS Resource Explorer': ['aws.api:resource-explorer-2'],
 'AWS Resource Groups': ['resource-groups'],
 'AWS Resource Groups Tagging API': ['tagging'],
 'Amazon Route 53': ['route53'],
 'Amazon S3': ['s3'],
 'Amazon S3 on Outposts': ['s3-outposts'],
 'Amazon SageMaker': ['sagemaker.api', 'sagemaker.runtime', 'sagemaker.featurestore-runtime', 'sagemaker.metrics'],
 'AWS Secrets Manager': ['secretsmanager'],
 'AWS Security Hub': ['securityhub'],
 'Amazon Security Lake': ['securitylake'],
 'AWS Security Token Service': ['sts'],
 'AWS Service Catalog': ['servicecatalog', 'servicecatalog-appregistry'],
 'AWS Shield': ['shield'],
 'Amazon Simple Email Service': ['email-smtp'],
 'Amazon Simple Notification Service': ['sns'],
 'Amazon Simple Queue Service': ['sqs'],
 'Amazon Simple Workflow Service': ['swf'],
 'AWS Step Functions': ['states', 'sync-states'],
 'AWS Storage Gateway': ['storagegateway'],
 'AWS Systems Manager': ['ssm', 'ssmmessages', 'ec2messages', 'ssm-contacts', 'ssm-quicksetup'],
 'AWS Systems Manager Incident Manager': ['ssm-incidents'],
 'AWS Systems Manager for SAP': ['ssm-sap'],
 'Amazon Textract': ['textract'],
 'Amazon Transcribe': ['transcribe', 'transcribestreaming'],
 'AWS Transfer Family 6': ['transfer', 'transfer.server'],
 'Amazon Translate': ['translate'],
 'AWS Trusted Advisor': ['trustedadvisor'],
 'AWS User Notifications': ['notifications', 'notifications-contacts'],
 'Amazon Verified Permissions': ['verifiedpermissions'],
 'Amazon VPC Lattice': ['vpc-lattice'],
 'AWS WAFV2': ['wafv2'],
 'AWS Well-Architected Tool': ['wellarchitected'],
 'Amazon WorkMail': ['workmail', 'workmailmessageflow'],
 'Amazon WorkSpaces': ['workspaces'],
 'AWS X-Ray': ['xray'],
}
# Rows deliberately not mapped: 3-value rows (private cell empty = no PrivateLink *at that time*, e.g. CloudFront,
# Redshift, Detective, Cognito, IAM Identity Center), 'Partial' (MediaConnect), IVS (control plane only),
# Fargate/Transit Gateway/VPC/Site-to-Site VPN/WAF/Amplify/Budgets/... (no endpoint service of their own),
# Amazon Timestream (cell names unclear), Amazon Managed Grafana (second row, ambiguous), Amazon Keyspaces handled.
unmapped_rows = []
for label, vals in parsed:
    if label not in ROWMAP:
        unmapped_rows.append((label, vals)); continue
    if len(vals) != 4 or vals[3] not in ('Yes', 'No'):
        unmapped_rows.append((label, vals)); continue
    v = vals[3] == 'Yes'
    for n in ROWMAP[label]:
        p, nm = (n.split(':', 1) if ':' in n else (DEF, n))
        if (p, nm) not in E:
            raise SystemExit('ROWMAP name not in catalogue: %s' % n)
        ev(p, nm, 'ipv6', v, IP6 + ':' + label)

# ---------------------------------------------------------------- resolve evidence -> fields
RANK = {G26: 3, 'dax-doc': 3, 'ddb-streams-doc': 3, IP6: 2, TB: 2, 'cdk-pr-30162': 2, 'thirdparty-2026-onprem': 1, OLD: 1}
def rank(cite):
    for k, r in RANK.items():
        if cite.startswith(k):
            return r
    return 0
conflicts = []
for k, fields in EV.items():
    e = E[k]
    for field, items in fields.items():
        vals = {v for v, _ in items}
        if len(vals) == 1:
            e[field] = vals.pop()
        else:  # conflict: newest/most direct source wins, recorded
            best = max(items, key=lambda t: rank(t[1]))
            e[field] = best[0]
            conflicts.append((e['prefix'], e['name'], field, items, best))
            e['notes'].append('%s: sources disagree (%s); kept %s from %s.' % (
                field, '; '.join('%s=%s' % (c, v) for v, c in items), best[0], best[1]))
        e['evidence'][field] = [c for _, c in items]

# ---------------------------------------------------------------- inferred (NOT copied into the main fields)
# The guide's example outputs are sorted; their heads appear contiguous (see .md).  From them:
#  * IPv6 list head runs ...resource-explorer-2-fips, aws.sagemaker experiments, partner-app, com.amazonaws.iam,...
#    so notebook/studio (which would sort between) are absent -> not IPv6 in that output; emr-service-cell01
#    (in the all-services head, absent from the IPv6 head) likewise.
for p, n in [('aws.sagemaker', 'notebook'), ('aws.sagemaker', 'studio'), ('aws.api', 'emr-service-cell01')]:
    E[(p, n)]['inferred']['ipv6'] = False
#  * policy-false head is appmesh-envoy-management, apprunner.requests, appstream.api, appstream.streaming,
#    awsconnector: every other us-east-1 service sorting before awsconnector would be in the true list.
def full_us_east_1(e):
    return '%s.%s' % (e['prefix'], e['name']) if e['global_'] else '%s.us-east-1.%s' % (e['prefix'], e['name'])
limit = 'com.amazonaws.us-east-1.awsconnector'
for k, e in E.items():
    if 'Interface' not in e['kinds'] or e['name'] == 'route53globalresolver' or e['name'].startswith('route53globalresolver'):
        continue
    if e['prefix'] == 'aws.api.global':
        continue
    f = full_us_east_1(e)
    if f < limit and e['endpoint_policy'] is None and e['name'] not in ('appmesh-envoy-management', 'apprunner.requests', 'appstream.api', 'appstream.streaming'):
        e['inferred']['endpoint_policy'] = True

# ---------------------------------------------------------------- cross-Region (PrivateLink guide 2026 table)
for p, n in [(DEF, 's3'), (DEF, 'iam'), (DEF, 'ecr.api'), (DEF, 'ecr.dkr'), (DEF, 'kms'), (DEF, 'kms-fips'), (DEF, 'ecs'),
             (DEF, 'lambda'), (DEF, 'kinesis-firehose'), (DEF, 'kinesisanalytics'), (DEF, 'kinesisanalytics-fips'), (DEF, 'route53')]:
    E[(p, n)]['cross_region'] = True

# ---------------------------------------------------------------- notes for special cases
def note(p, n, s):
    E[(p, n)]['notes'].append(s)
note(DEF, 's3', 'Interface + Gateway. Interface private DNS with DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint=true (console default when private DNS is ticked) requires a gateway endpoint for S3 in the same VPC; S3 is the only service for which the guide documents this option. A gateway endpoint cannot be deleted while that option is set.')
note(DEF, 'dynamodb', 'Interface + Gateway. DynamoDB gateway endpoints support only IPv4 and only the service-defined DNS record IP type (PrivateLink Guide 2026). Interface endpoints: private DNS not supported per CDK PR #30162 (quoting the DynamoDB guide, 2024) and a 2026 third-party summary; clients must use the vpce-… endpoint URL.')
note(DEF, 's3express', 'Gateway only (S3 Express One Zone directory buckets). Data-plane zonal names e.g. s3express-use2-az1.us-east-2.amazonaws.com.')
note(DEF, 'cassandra', 'CDK uses port 9142 (Cassandra CQL over TLS) instead of 443.')
note(DEF, 'cassandra-fips', 'CDK uses port 9142 instead of 443.')
note(DEF, 'transcribe', 'In cn-north-1/cn-northwest-1 CDK appends ".cn": cn.com.amazonaws.<region>.transcribe.cn.')
note(DEF, 'timestream.ingest-cell', 'Printed without a cell number in the guide; real service names are per cell (not confirmed here).')
note(DEF, 'timestream.query-cell', 'Printed without a cell number in the guide; real service names are per cell (not confirmed here).')
note(DEF, 'rds', 'Same service name serves Amazon RDS, Aurora and DocumentDB management APIs (guide lists it under all three).')
note(DEF, 'networkmanager', 'Listed under both AWS Cloud WAN and Global Networks for Transit Gateways.')
note('aws.api', 'route53globalresolver', 'Guide prints aws.api.us-east-2.route53globalresolver (region literally us-east-2).')
note('aws.api', 'route53globalresolver-fips', 'Guide prints aws.api.us-east-2.route53globalresolver-fips.')
note(DEF, 'route53', 'Global name com.amazonaws.route53 (no region); an LZA issue reports it exists only in us-east-1.')
note(DEF, 'cloudfront', 'Global name com.amazonaws.cloudfront (no region).')
note('aws.api', 'freetier', 'Guide table prints com.amazonaws.region.freetier; the guide CLI output and CDK use aws.api.<region>.freetier.')
note('aws.api', 'resource-explorer-2', 'Guide table prints com.amazonaws.region.resource-explorer-2; the guide IPv6 CLI output shows aws.api.us-east-1.resource-explorer-2. Kept the CLI form; the other may also exist.')
note('aws.api', 'resource-explorer-2-fips', 'Guide table prints com.amazonaws.region.resource-explorer-2-fips; CLI output shows aws.api.')
note('aws.api.global', 'codecatalyst', 'CDK: prefix aws.api.global, global (no region): full name aws.api.global.codecatalyst.')
note(DEF, 'iam', 'Global: com.amazonaws.iam (no region).')
note(DEF, 's3-global.accesspoint', 'Global: com.amazonaws.s3-global.accesspoint (S3 Multi-Region Access Points).')
note(DEF, 'savingsplans', 'Global: com.amazonaws.savingsplans.')
note(DEF, 'email-smtp', 'SES SMTP interface; CDK EMAIL_SMTP (SES is a deprecated alias).')

# ---------------------------------------------------------------- Rust constant names
WORDS = {  # manual word splits for readability (lower-case token -> words)
 'ssmmessages': 'ssm messages', 'ec2messages': 'ec2 messages', 'secretsmanager': 'secrets manager',
 'elasticloadbalancing': 'elastic load balancing', 'elasticfilesystem': 'elastic file system',
 'elasticbeanstalk': 'elastic beanstalk', 'elasticache': 'elasti cache', 'elasticmapreduce': 'elastic map reduce',
 'cloudformation': 'cloud formation', 'cloudtrail': 'cloud trail', 'cloudcontrolapi': 'cloud control api',
 'clouddirectory': 'cloud directory', 'cloudhsmv2': 'cloud hsm v2', 'cloudfront': 'cloud front',
 'codebuild': 'code build', 'codecommit': 'code commit', 'codedeploy': 'code deploy', 'codepipeline': 'code pipeline',
 'codeartifact': 'code artifact', 'codecatalyst': 'code catalyst', 'codeconnections': 'code connections',
 'codewhisperer': 'code whisperer', 'codestar': 'code star', 'appconfig': 'app config', 'appconfigdata': 'app config data',
 'appmesh': 'app mesh', 'apprunner': 'app runner', 'appstream': 'app stream', 'appsync': 'app sync', 'apptest': 'app test',
 'applicationinsights': 'application insights', 'auditmanager': 'audit manager', 'billingconductor': 'billing conductor',
 'cleanrooms': 'clean rooms', 'comprehendmedical': 'comprehend medical', 'controlcatalog': 'control catalog',
 'controltower': 'control tower', 'dataexchange': 'data exchange', 'datasync': 'data sync', 'datazone': 'data zone',
 'databrew': 'data brew', 'servicediscovery': 'service discovery', 'devops': 'dev ops', 'dynamodb': 'dynamo db',
 'ecr': 'ecr', 'entityresolution': 'entity resolution', 'finspace': 'fin space', 'forecastquery': 'forecast query',
 'frauddetector': 'fraud detector', 'gamelift': 'game lift', 'gameliftstreams': 'game lift streams',
 'groundstation': 'ground station', 'guardduty': 'guard duty', 'healthlake': 'health lake',
 'identitystore': 'identity store', 'imagebuilder': 'image builder', 'inspector2': 'inspector2',
 'internetmonitor': 'internet monitor', 'iotfleetwise': 'iot fleet wise', 'iotroborunner': 'iot robo runner',
 'iotsitewise': 'iot site wise', 'iottwinmaker': 'iot twin maker', 'iotwireless': 'iot wireless',
 'iotmanagedintegrations': 'iot managed integrations', 'deviceadvisor': 'device advisor', 'fleethub': 'fleet hub',
 'kafkaconnect': 'kafka connect', 'kinesisanalytics': 'kinesis analytics', 'lakeformation': 'lake formation',
 'launchwizard': 'launch wizard', 'lookoutequipment': 'lookout equipment', 'lookoutmetrics': 'lookout metrics',
 'lookoutvision': 'lookout vision', 'managedblockchain': 'managed blockchain', 'mediaconnect': 'media connect',
 'mediaconvert': 'media convert', 'memorydb': 'memory db', 'migrationhub': 'migration hub',
 'networkflowmonitor': 'network flow monitor', 'networkflowmonitorreports': 'network flow monitor reports',
 'networkmonitor': 'network monitor', 'networkmanager': 'network manager', 'observabilityadmin': 'observability admin',
 'qapps': 'q apps', 'qbusiness': 'q business', 'quicksight': 'quick sight', 'rbin': 'rbin', 'repostspace': 'repost space',
 'rolesanywhere': 'roles anywhere', 'securityhub': 'security hub', 'securitylake': 'security lake',
 'serverlessrepo': 'serverless repo', 'servicecatalog': 'service catalog', 'servicequotas': 'service quotas',
 'simspaceweaver': 'sim space weaver', 'storagegateway': 'storage gateway', 'transcribestreaming': 'transcribe streaming',
 'trustedadvisor': 'trusted advisor', 'verifiedpermissions': 'verified permissions', 'wafv2': 'waf v2',
 'wellarchitected': 'well architected', 'workmail': 'work mail', 'workmailmessageflow': 'work mail message flow',
 'workspaces': 'work spaces', 'thinclient': 'thin client', 'xray': 'x ray', 'freetier': 'free tier',
 'savingsplans': 'savings plans', 'accesspoint': 'access point', 'emrwal': 'emr wal', 'oam': 'oam', 'osis': 'osis',
 'scheduler': 'scheduler', 's3tables': 's3 tables', 's3vectors': 's3 vectors', 's3express': 's3 express',
 'billingconductor': 'billing conductor', 'invoicing': 'invoicing', 'highlander': 'highlander', 'awsconnector': 'aws connector',
 'b2bi': 'b2bi', 'voiceid': 'voice id', 'ebs': 'ebs', 'ec2': 'ec2', 'iam': 'iam', 'sts': 'sts', 'sqs': 'sqs', 'sns': 'sns',
 'kms': 'kms', 'ssm': 'ssm', 'rds': 'rds', 'acm': 'acm', 'pca': 'pca', 'dms': 'dms', 'ds': 'ds', 'drs': 'drs', 'eks': 'eks',
 'ecs': 'ecs', 'emr': 'emr', 'fsx': 'fsx', 'fis': 'fis', 'fms': 'fms', 'dlm': 'dlm', 'mgn': 'mgn', 'pcs': 'pcs', 'pi': 'pi',
 'tnb': 'tnb', 'scn': 'scn', 'swf': 'swf', 'mq': 'mq', 'm2': 'm2', 'aps': 'aps', 'ram': 'ram', 'ce': 'ce', 'q': 'q',
 'dsql': 'dsql', 'dax': 'dax', 'evs': 'evs', 'ivs': 'ivs', 'gitcodecommit': 'git code commit', 'iot': 'iot',
 'dynamodbstreams': 'dynamo db streams', 'sagemaker': 'sage maker', 'cloudwatch': 'cloud watch',
 'route53': 'route53', 'route53globalresolver': 'route53 global resolver', 'notifications': 'notifications',
 'macie2': 'macie2', 'lorawan': 'lora wan', 'geofencing': 'geo fencing', 'featurestore': 'feature store',
 'cloudfront': 'cloud front', 'controlplane': 'control plane', 'dataplane': 'data plane', 'subscriptions': 'subscriptions',
 'omics': 'omics', 'workflows': 'workflows', 'snow': 'snow', 'socialmessaging': 'social messaging',
 'agentcore': 'agent core', 'bedrock': 'bedrock', 'grafana': 'grafana', 'evidently': 'evidently',
 'applicationsignals': 'application signals', 'livy': 'livy', 'prod': 'prod', 'appregistry': 'app registry',
 'quicksetup': 'quick setup', 'influxdb': 'influx db', 'mainnet': 'mainnet', 'testnet': 'testnet',
 'bitcoin': 'bitcoin', 'userguide': 'user guide', 'directconnect': 'direct connect', 'organizations': 'organizations',
 'metering': 'metering', 'arsenal': 'arsenal', 'datazone': 'data zone',
 'apigateway': 'api gateway', 'autoscaling': 'auto scaling', 'robomaker': 'robo maker',
}
PREFIX_WORD = {DEF: '', 'aws.api': '', 'aws.api.global': '', 'aws.sagemaker': 'SageMaker', 'api.aws': ''}
def camel(tokens):
    out = []
    for t in tokens:
        for w in WORDS.get(t, t).split():
            out.append(w[:1].upper() + w[1:])
    return ''.join(out)
def rust_const(e):
    toks = [t for t in re.split(r'[.\-]', e['name']) if t]
    c = camel(toks)
    c = PREFIX_WORD.get(e['prefix'], '') + c
    if c[0].isdigit():
        c = 'S' + c
    assert re.fullmatch(r'[A-Z][A-Za-z0-9]*', c), c
    return c
seen = {}
for k, e in E.items():
    c = rust_const(e)
    if c in seen:
        raise SystemExit('constant collision %s: %s vs %s' % (c, k, seen[c]))
    seen[c] = k
    e['constant'] = c

# ---------------------------------------------------------------- output
def fips(e):
    return bool(re.search(r'(^|[.\-])fips($|[.\-])', e['name']))
out = []
for k, e in sorted(E.items(), key=lambda kv: (kv[1]['prefix'] != DEF, kv[1]['prefix'], kv[1]['name'])):
    kinds = sorted(e['kinds'], key=lambda x: ['Interface', 'Gateway'].index(x))
    d = collections.OrderedDict()
    d['name'] = e['name']; d['prefix'] = e['prefix']; d['constant'] = e['constant']
    d['cdk_constant'] = e['cdk_constant']
    d['kinds'] = kinds
    d['private_dns'] = e['private_dns']; d['ipv6'] = e['ipv6']; d['endpoint_policy'] = e['endpoint_policy']
    d['sources'] = e['sources'] + ['cdk-gateway'] * 0
    # optional extras
    if e.get('cdk_gateway_constant'): d['cdk_gateway_constant'] = e['cdk_gateway_constant']
    if len(e['cdk_constants_all']) > 1 or e['cdk_deprecated_only']: d['cdk_constants_all'] = e['cdk_constants_all']
    if e['global_']: d['global'] = True
    if fips(e): d['fips'] = True
    if e['port']: d['port'] = e['port']
    if e['cross_region']: d['cross_region'] = True
    if e['aws_doc_labels']: d['aws_service'] = e['aws_doc_labels']
    if e['evidence']: d['evidence'] = e['evidence']
    if e['inferred']: d['inferred'] = e['inferred']
    if e['notes']: d['notes'] = e['notes']
    out.append(d)

doc = collections.OrderedDict()
doc['source'] = ('AWS CDK InterfaceVpcEndpointAwsService/GatewayVpcEndpointAwsService constants '
                 '(aws/aws-cdk packages/aws-cdk-lib/aws-ec2/lib/vpc-endpoint.ts @000a9eb6dd93c8025d184934c66dee83868c8f28) '
                 '+ AWS PrivateLink Guide "AWS services that integrate with AWS PrivateLink" (2026 edition) '
                 '+ per-field evidence listed in service-catalogue.md; no describe-vpc-endpoint-services dump was found')
doc['retrieved'] = '2026-11-26'
doc['schema_notes'] = {
  'name': 'part after <prefix>.<region>. (or after <prefix>. for global services)',
  'full_name': 'regional: <prefix>.<region>.<name>; global: <prefix>.<name> (see "global")',
  'private_dns/ipv6/endpoint_policy': 'true/false only from a cited source (keys in "evidence", expanded in service-catalogue.md); null = unknown',
  'ipv6': 'interface endpoint of the service accepts IPv6 (SupportedIpAddressTypes contains ipv6)',
  'inferred': 'values deduced from sorted CLI example output in the PrivateLink Guide; NOT copied into the main fields',
  'sources': 'cdk | aws-doc (PrivateLink Guide table / gateway chapter) | aws-doc-example (guide CLI examples only) | aws-doc-dax',
}
doc['services'] = out
json.dump(doc, open('/work/research/service-catalogue.json', 'w'), indent=1)

# stats for the .md
st = collections.Counter()
for d in out:
    st['total'] += 1
    for f in ('private_dns', 'ipv6', 'endpoint_policy'):
        if d[f] is True: st[f + '_true'] += 1
        if d[f] is False: st[f + '_false'] += 1
    s = set(d['sources'])
    if 'cdk' in s and 'aws-doc' in s: st['both'] += 1
    elif 'cdk' in s: st['cdk_only'] += 1
    elif 'aws-doc' in s: st['doc_only'] += 1
    else: st['other_only'] += 1
    if d.get('fips'): st['fips'] += 1
    if 'Gateway' in d['kinds']: st['gateway'] += 1
    if d['prefix'] != DEF: st['nondefault_prefix'] += 1
    if d.get('global'): st['global'] += 1
    if d.get('inferred'): st['with_inferred'] += 1
    if all(d[f] is None for f in ('private_dns', 'ipv6', 'endpoint_policy')): st['no_boolean'] += 1
print(dict(st))
print('conflicts:')
for c in conflicts: print(' ', c)
print('unmapped ipv6 rows:', [l for l, v in unmapped_rows])
json.dump({'stats': st, 'conflicts': [[a, b, c, [list(x) for x in d], list(e)] for a, b, c, d, e in conflicts],
           'unmapped_ipv6_rows': unmapped_rows}, open(SRC + 'build-report.json', 'w'), indent=1)
