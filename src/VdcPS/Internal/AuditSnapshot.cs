using System;
using System.Collections;
using System.Collections.Generic;

namespace VdcPS.Internal
{
    /// <summary>
    /// The before or after of one audit journal entry: ordered names and plain values (string, bool,
    /// long, int, null, or a nested snapshot). Never holds a secret.
    /// </summary>
    internal sealed class AuditSnapshot : IEnumerable<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _values = new List<KeyValuePair<string, object?>>();

        public int Count => _values.Count;

        /// <summary>Sets a value; a name set again keeps its place and takes the new value.</summary>
        public object? this[string name]
        {
            set
            {
                int i = _values.FindIndex(v => string.Equals(v.Key, name, StringComparison.Ordinal));
                if (i >= 0)
                {
                    _values[i] = new KeyValuePair<string, object?>(name, value);
                }
                else
                {
                    _values.Add(new KeyValuePair<string, object?>(name, value));
                }
            }
        }

        public void Add(string name, object? value) => this[name] = value;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
