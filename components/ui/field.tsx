import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes } from 'react';
import { cn } from './cn';

const CONTROL =
  'block rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 dark:border-slate-700 dark:bg-slate-900 aria-[invalid=true]:border-red-500';

interface FieldProps {
  id: string;
  label: string;
  hint?: string;
  errors?: string[];
  children?: ReactNode;
}

/** A labelled form control with its hint and field errors wired up for screen readers. */
export function Field({ id, label, hint, errors, children }: FieldProps) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {children}
      {hint && !errors?.length ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-xs text-red-600 dark:text-red-400">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** Full width unless the caller sets a width (two width classes would fight in Tailwind). */
function controlClasses(className?: string): string {
  return cn(CONTROL, /(^|\s)w-/.test(className ?? '') ? className : cn('w-full', className));
}

export function Input({ className, id, ...props }: InputHTMLAttributes<HTMLInputElement> & { id: string; invalid?: boolean }) {
  const { invalid, ...rest } = props as typeof props & { invalid?: boolean };
  return <input id={id} aria-invalid={invalid || undefined} aria-describedby={`${id}-hint ${id}-error`} className={controlClasses(className)} {...rest} />;
}

export function Select({ className, id, ref, ...props }: SelectHTMLAttributes<HTMLSelectElement> & { id: string; ref?: Ref<HTMLSelectElement> }) {
  return <select id={id} ref={ref} className={controlClasses(className)} {...props} />;
}
