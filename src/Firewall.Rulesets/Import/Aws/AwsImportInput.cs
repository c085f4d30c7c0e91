namespace Firewall.Rulesets.Import.Aws;

/// <summary>
/// The JSON printed by the AWS CLI (<c>aws ec2 describe-… --output json</c>, the EC2 API's response shapes).
/// Every file is optional; <see cref="PrefixLists"/> pairs a prefix-list id with the output of
/// <c>aws ec2 get-managed-prefix-list-entries --prefix-list-id ID</c>, which does not repeat the id.
/// </summary>
public sealed record AwsImportInput
{
    public ImportFile? SecurityGroups { get; init; }
    public ImportFile? NetworkAcls { get; init; }
    public ImportFile? Subnets { get; init; }
    public ImportFile? NetworkInterfaces { get; init; }
    public ImportFile? Vpcs { get; init; }
    public IReadOnlyList<(string Id, ImportFile File)> PrefixLists { get; init; } = [];

    /// <summary>Import only this VPC's objects; needed when the files hold more than one VPC.</summary>
    public string? Vpc { get; init; }
}
