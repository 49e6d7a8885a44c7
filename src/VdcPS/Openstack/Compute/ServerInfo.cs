namespace VdcPS.Openstack.Compute
{
    /// <summary>The parts of a Nova server that suspension and termination act on.</summary>
    internal sealed class ServerInfo
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;

        /// <summary>ACTIVE, SHUTOFF, SHELVED, SHELVED_OFFLOADED, ERROR, ... (Nova's status).</summary>
        public string Status { get; set; } = string.Empty;

        /// <summary>The task in progress (powering-off, shelving, ...), null when none.</summary>
        public string? TaskState { get; set; }

        /// <summary>Locked against the owner's actions (microversion 2.9 and later show it).</summary>
        public bool Locked { get; set; }

        /// <summary>Why it was locked (2.73 and later), null when unknown.</summary>
        public string? LockedReason { get; set; }

        public bool IsShelved => Status == "SHELVED" || Status == "SHELVED_OFFLOADED";

        public override string ToString() => $"server '{Name}' ({Id})";
    }

    /// <summary>The server actions VdcPS sends (POST /servers/{id}/action).</summary>
    internal enum ServerAction
    {
        Stop,
        Start,
        Lock,
        Unlock,
        Shelve,
        ShelveOffload,
        Unshelve,
    }
}
