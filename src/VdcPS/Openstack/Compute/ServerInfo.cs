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

        /// <summary>The compute host it is on (OS-EXT-SRV-ATTR:host, shown to admins); null when it has none or it is hidden.</summary>
        public string? Host { get; set; }

        public bool IsShelved => Status == "SHELVED" || Status == "SHELVED_OFFLOADED";

        /// <summary>Shelved, and its host freed: Nova has finished offloading it.</summary>
        public bool IsOffloaded => Status == "SHELVED_OFFLOADED" && string.IsNullOrEmpty(Host);

        /// <summary>
        /// Nova is still working on it: a task runs, or an offload has set the state SHELVED_OFFLOADED and not yet
        /// cleared the host (Nova saves the two one after the other; between them the server has no task).
        /// </summary>
        public bool IsSettling => TaskState != null || (Status == "SHELVED_OFFLOADED" && !IsOffloaded);

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
