import { Input } from "@/components/ui/input";

/** An optional per-project memory number: empty means "use the server default". */
export function MemoryNumberInput({
  range,
  onValue,
  fallback,
  ...props
}: {
  id: string;
  label: string;
  range: { min: number; max: number };
  value: string;
  onValue: (value: string) => void;
  fallback: number;
  disabled: boolean;
  error?: string;
}) {
  return (
    <Input
      {...props}
      type="number"
      inputMode="numeric"
      min={range.min}
      max={range.max}
      onChange={(e) => onValue(e.target.value)}
      placeholder={`Default: ${fallback}`}
      hint={`${range.min}–${range.max}; empty uses the default`}
    />
  );
}
