namespace VdcPS.Config
{
    /// <summary>
    /// A scalar read from YAML/JSON or from an environment variable. <see cref="Text"/> is the
    /// literal text; <see cref="Bool"/> is set when YAML 1.1 (PyYAML's SafeLoader, which
    /// openstacksdk uses) would have read a boolean (plain <c>true</c>, <c>yes</c>, <c>off</c>...).
    /// </summary>
    internal sealed class ConfigScalar
    {
        public ConfigScalar(string text, bool? boolValue = null)
        {
            Text = text;
            Bool = boolValue;
        }

        public string Text { get; }

        public bool? Bool { get; }

        public override string ToString() => Text;
    }
}
