using System;
using System.Collections.Generic;
using System.Linq;

namespace VdcPS.Config
{
    /// <summary>
    /// An insertion-ordered string-keyed mapping: the in-memory form of a YAML mapping. Values are
    /// null, <see cref="ConfigScalar"/>, <see cref="ConfigMap"/> or <see cref="List{T}"/> of those.
    /// Holds no YamlDotNet type.
    /// </summary>
    internal sealed class ConfigMap
    {
        private readonly List<string> _keys = new List<string>();
        private readonly Dictionary<string, object?> _values = new Dictionary<string, object?>(StringComparer.Ordinal);

        public int Count => _keys.Count;

        public IReadOnlyList<string> Keys => _keys;

        public IEnumerable<KeyValuePair<string, object?>> Entries =>
            _keys.Select(k => new KeyValuePair<string, object?>(k, _values[k]));

        public bool ContainsKey(string key) => _values.ContainsKey(key);

        public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);

        public object? Get(string key) => _values.TryGetValue(key, out object? v) ? v : null;

        /// <summary>Replaces in place (keeping the position) or appends.</summary>
        public void Set(string key, object? value)
        {
            if (!_values.ContainsKey(key))
            {
                _keys.Add(key);
            }

            _values[key] = value;
        }

        public bool Remove(string key)
        {
            if (_values.Remove(key))
            {
                _keys.Remove(key);
                return true;
            }

            return false;
        }

        /// <summary>Deep copy (maps and lists are copied, scalars are immutable and shared).</summary>
        public ConfigMap DeepClone()
        {
            var copy = new ConfigMap();
            foreach (string k in _keys)
            {
                copy.Set(k, CloneValue(_values[k]));
            }

            return copy;
        }

        public static object? CloneValue(object? value)
        {
            switch (value)
            {
                case ConfigMap m:
                    return m.DeepClone();
                case List<object?> l:
                    return l.Select(CloneValue).ToList();
                default:
                    return value;
            }
        }

        /// <summary>
        /// openstacksdk <c>_util.normalize_keys</c>: every key of this mapping and of nested
        /// mappings gets '-' replaced by '_'. (Numbers are already text here, as normalize_keys
        /// makes them.)
        /// </summary>
        public ConfigMap NormalizeKeys()
        {
            var copy = new ConfigMap();
            foreach (string k in _keys)
            {
                object? v = _values[k];
                copy.Set(k.Replace('-', '_'), v is ConfigMap m ? m.NormalizeKeys() : CloneValue(v));
            }

            return copy;
        }
    }
}
