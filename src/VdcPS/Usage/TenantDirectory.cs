using System;
using System.Collections.Generic;
using System.Linq;
using VdcPS.Openstack.Identity;
using VdcPS.Tenants;

namespace VdcPS.Usage
{
    /// <summary>
    /// The Keystone projects (one GET /v3/projects: Keystone does not page it), by id: name, customer and
    /// the plan in force at the end of the period. Usage of a project Keystone no longer has is still
    /// usage: it is reported with the id only.
    /// </summary>
    internal sealed class TenantDirectory
    {
        private readonly Dictionary<string, TenantLabel> _byId;

        public TenantDirectory(IEnumerable<ProjectDto> projects, DateTime periodEnd)
        {
            _byId = new Dictionary<string, TenantLabel>(StringComparer.Ordinal);
            foreach (ProjectDto p in projects)
            {
                bool managed = TenantRecord.IsManaged(p);
                string plan = string.Empty;
                try
                {
                    plan = managed ? PlanAt(p, periodEnd) : string.Empty;
                }
                catch (TenantRecordDamagedException e)
                {
                    // The usage itself is right (Nova and Gnocchi measure it); the plan is left empty, not guessed, and reported.
                    Damaged.Add(e);
                }

                _byId[p.Id] = new TenantLabel(p.Id, managed ? TenantRecord.NameOf(p) : p.Name, p.ExtraString(TenantRecord.CustomerKey) ?? string.Empty, plan, managed, known: true);
            }
        }

        /// <summary>Tenants whose history cannot be read: their rows carry no plan, and the cmdlet reports them.</summary>
        public List<TenantRecordDamagedException> Damaged { get; } = new List<TenantRecordDamagedException>();

        public int Count => _byId.Count;

        public IEnumerable<TenantLabel> All => _byId.Values;

        public TenantLabel Get(string id)
            => _byId.TryGetValue(id, out TenantLabel? info) ? info : new TenantLabel(id, string.Empty, string.Empty, string.Empty, managed: false, known: false);

        public bool TryGet(string id, out TenantLabel info)
        {
            bool found = _byId.TryGetValue(id, out TenantLabel? i);
            info = i ?? Get(id);
            return found;
        }

        /// <summary>
        /// The plan in force at the end of the period: the last history event before it; the current
        /// plan when the history has none (tenants made before history was kept, or made later).
        /// </summary>
        internal static string PlanAt(ProjectDto project, DateTime periodEnd)
        {
            TenantEvent? last = TenantRecord.History(project).LastOrDefault(e => e.At < periodEnd && !string.IsNullOrEmpty(e.Plan));
            return last?.Plan ?? project.ExtraString(TenantRecord.PlanKey) ?? string.Empty;
        }

        /// <summary>Output order: named tenants by name (case-insensitive), then those Keystone does not know, by id.</summary>
        public static IComparer<TenantLabel> Order { get; } = Comparer<TenantLabel>.Create((a, b) =>
        {
            int c = (a.Name.Length == 0).CompareTo(b.Name.Length == 0);
            if (c == 0)
            {
                c = StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name);
            }

            if (c == 0)
            {
                c = StringComparer.Ordinal.Compare(a.Name, b.Name);
            }

            return c != 0 ? c : StringComparer.Ordinal.Compare(a.Id, b.Id);
        });
    }
}
