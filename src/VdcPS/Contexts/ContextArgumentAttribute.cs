using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using VdcPS.Internal;
using VdcPS.Models;

namespace VdcPS.Contexts
{
    /// <summary>
    /// Lets every -Context (and -SystemContext) take a context by name, as Az's -DefaultProfile and
    /// PowerCLI's -Server do: 'west' becomes the runspace's context named west. A context object
    /// passes unchanged. A name that is not a context of this runspace, and a context that was
    /// serialized out of its process (a background job's $using:), fail at binding with a message
    /// that says what to do instead.
    /// </summary>
    public sealed class ContextArgumentAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped && !IsDeserializedContext(wrapped) ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                case VdcContext _:
                    return value;
                case string name:
                    return ContextResolver.ByName(name);
                case PSObject deserialized:
                    throw NotInThisProcess(deserialized);
                case IEnumerable items when !(value is IDictionary):
                    var result = new List<object?>();
                    foreach (object? item in items)
                    {
                        result.Add(Transform(engineIntrinsics, item));
                    }

                    return result.ToArray();
                default:
                    return inputData;
            }
        }

        private static bool IsDeserializedContext(PSObject value)
            => value.TypeNames.Any(t => t == "Deserialized." + typeof(VdcContext).FullName);

        private static ArgumentTransformationMetadataException NotInThisProcess(PSObject deserialized)
        {
            string name = deserialized.Properties["Name"]?.Value as string ?? "?";
            string cloud = deserialized.Properties["Cloud"]?.Value as string ?? string.Empty;
            string how = cloud.Length > 0 ? $"Connect-VdcCloud -Cloud {cloud}" : "Connect-VdcCloud";
            return new ArgumentTransformationMetadataException(
                $"The context '{name}' is a copy from another process (a background job or a remote session), without its connection. " +
                $"Connect in that process ({how}); in ForEach-Object -Parallel and thread jobs, $using: passes the context itself.");
        }
    }

    /// <summary>Finds contexts of the current runspace by name, for the attribute and for Select-VdcContext.</summary>
    internal static class ContextResolver
    {
        internal static VdcContext? Find(string name)
            => ContextStore.All.FirstOrDefault(c => string.Equals(c.Name, name, System.StringComparison.OrdinalIgnoreCase));

        internal static string NotFoundMessage(string name)
        {
            string known = string.Join(", ", ContextStore.All.Select(c => c.Name));
            return $"No context named '{name}' in this runspace{(known.Length > 0 ? " (contexts: " + known + ")" : string.Empty)}. " +
                "Get-VdcContext -ListAvailable lists them; in ForEach-Object -Parallel or a thread job, pass the context object with $using:.";
        }

        internal static VdcContext ByName(string name)
            => Find(name) ?? throw new ArgumentTransformationMetadataException(NotFoundMessage(name));
    }
}
