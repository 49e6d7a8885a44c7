using System;
using System.Reflection;

namespace VdcPS.Isolation
{
    /// <summary>
    /// Reaches System.Runtime.Loader.AssemblyLoadContext through reflection, because the module
    /// targets netstandard2.0 (which has no such type) and must still load on Windows PowerShell,
    /// where the type does not exist and <see cref="CreateLoadContext"/> returns null.
    /// </summary>
    internal sealed class AssemblyLoadContextProxy
    {
        private readonly object _loadContext;
        private readonly MethodInfo _loadFromAssemblyPath;

        private AssemblyLoadContextProxy(object loadContext, MethodInfo loadFromAssemblyPath)
        {
            _loadContext = loadContext;
            _loadFromAssemblyPath = loadFromAssemblyPath;
        }

        internal static AssemblyLoadContextProxy? CreateLoadContext(string name)
        {
            Type? alcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);
            if (alcType == null)
            {
                return null;
            }

            ConstructorInfo? ctor = alcType.GetConstructor(
                BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance,
                binder: null,
                new[] { typeof(string), typeof(bool) },
                modifiers: null);
            MethodInfo? load = alcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
            if (ctor == null || load == null)
            {
                return null;
            }

            object context = ctor.Invoke(new object[] { name, false });
            return new AssemblyLoadContextProxy(context, load);
        }

        internal Assembly LoadFromAssemblyPath(string path)
        {
            try
            {
                return (Assembly)_loadFromAssemblyPath.Invoke(_loadContext, new object[] { path })!;
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw e.InnerException;
            }
        }
    }
}
