'use client';

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OverviewHour } from '@/lib/data/read-overview';

const hourLabel = (iso: string) => `${iso.slice(11, 13)}:00`;

/** Calls per hour by protection, and new alerts per hour, over the last 24 h (UTC). */
export function PostureCharts({ hours }: { hours: OverviewHour[] }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <figure aria-label="Calls per hour by protection">
        <figcaption className="mb-2 text-sm font-medium">Calls per hour (UTC), by protection</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <AreaChart data={hours}>
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
            <XAxis dataKey="hour" tickFormatter={hourLabel} fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip labelFormatter={(v) => hourLabel(String(v))} />
            <Legend />
            <Area type="monotone" dataKey="postQuantum" name="post-quantum" stackId="1" stroke="#2563eb" fill="#2563eb" fillOpacity={0.4} />
            <Area type="monotone" dataKey="classical" name="classical" stackId="1" stroke="#dc2626" fill="#dc2626" fillOpacity={0.4} />
            <Area type="monotone" dataKey="refused" name="refused" stackId="1" stroke="#f59e0b" fill="#f59e0b" fillOpacity={0.4} />
          </AreaChart>
        </ResponsiveContainer>
      </figure>
      <figure aria-label="New alerts per hour">
        <figcaption className="mb-2 text-sm font-medium">New alerts per hour (UTC)</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={hours}>
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
            <XAxis dataKey="hour" tickFormatter={hourLabel} fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip labelFormatter={(v) => hourLabel(String(v))} />
            <Bar dataKey="alerts" name="alerts" fill="#9333ea" />
          </BarChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
