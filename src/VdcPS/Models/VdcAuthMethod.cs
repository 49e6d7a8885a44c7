namespace VdcPS.Models
{
    /// <summary>How a context authenticates to Keystone.</summary>
    public enum VdcAuthMethod
    {
        Password,
        ApplicationCredential,
        Token,
    }

    /// <summary>What a context's token is scoped to.</summary>
    public enum VdcScopeType
    {
        Unscoped,
        Project,
        Domain,
        System,
    }
}
