// Shared by the tag tests and tests/examples.rs: resource types whose CloudFormation schema
// takes no tags (`taggable: false` or no Tags property; cfn-lint's schemas,
// docs/research/tags-logs-checkov.md §1.1). A `Tags` there fails cfn-lint E3002.
#[allow(dead_code)]
const NOT_TAGGABLE: &[&str] = &[
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::Route53Profiles::ProfileResourceAssociation",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::VPCEndpointServicePermissions",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::TransitGatewayRoute",
    "AWS::EC2::TransitGatewayRouteTableAssociation",
    "AWS::EC2::TransitGatewayRouteTablePropagation",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::Route53::RecordSet",
    "AWS::S3::BucketPolicy",
    "AWS::IAM::Policy",
];
